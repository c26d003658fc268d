"""The merged claims as people read them: only claim rows counted, verdicts re-checked, the README block."""

import pandas as pd
import pytest

from energyrepro.claims import Claim, claims_frame
from energyrepro.publish import manifest, manifest_studies, plot_files, plot_rules
from energyrepro.report import claims_html, claims_markdown, merge_claims, readme_block, verdict_counts


def _frame():
    return claims_frame([
        Claim("uc", "cost", "IHDE cost", 563966.0, 563937.69, tolerance=0.5, tolerance_rule="rounding",
              direction="lower_better", profile="paper"),
        Claim("uc", "beats", "IHDE beats HDE", True, False, tolerance_rule="r", profile="paper"),
        Claim("uc", "total", "printed total = share x TC", 1.0, 1.0, kind="consistency", from_paper_inputs=True,
              tolerance_rule="r",
              profile="paper"),
        Claim("pricing", "typo", "G15 entry vs its row", 0.9841, 0.0984, kind="paper_inconsistency",
              tolerance_rule="r",
              profile="paper"),
        Claim("pricing", "t2", "Table 2 whole-table deviation", 0.0, 0.14, tolerance=0.01, tolerance_rule="r",
              spread=0.13, profile="paper"),
    ])


def test_only_claim_rows_are_counted_and_the_other_kinds_are_listed_apart():
    counts = verdict_counts(_frame())
    assert counts.loc["uc", "better than paper"] == 1 and counts.loc["uc", "not reproduced"] == 1
    assert counts.loc["uc", "reproduced"] == 0 and counts.loc["uc", "consistency"] == 1
    assert counts.loc["pricing", "reproduced"] == 1 and counts.loc["pricing", "paper_inconsistency"] == 1
    md = claims_markdown(_frame(), "abc", "paper")
    assert "### consistency checks" in md and "### the paper contradicts itself" in md
    assert "<table id='claims'>" in claims_html(_frame(), "abc", "paper")


def test_a_file_whose_verdicts_do_not_follow_from_its_numbers_is_refused(tmp_path):
    df = _frame()
    df.loc[df.claim_id == "beats", "verdict"] = "reproduced"
    df.to_csv(tmp_path / "claims.csv", index=False)
    with pytest.raises(ValueError, match="do not follow"):
        merge_claims([tmp_path / "claims.csv"])
    df.drop(columns=["kind"]).to_csv(tmp_path / "old.csv", index=False)
    with pytest.raises(ValueError, match="lacks columns"):
        merge_claims([tmp_path / "old.csv"])


def test_readme_block_puts_the_paper_run_first_with_ours_beside_the_papers(tmp_path):
    _frame().to_csv(tmp_path / "paper.csv", index=False)
    (tmp_path / "paper.md").write_text("# Claims (profile `paper`, commit `0123456789`)\n")
    block = readme_block(tmp_path / "paper.csv", tmp_path / "missing.csv")
    assert block.index("papers' scale") < block.index("Smoke test")
    assert "ours 563,937.69, paper 563,966" in block and "commit `0123456789`" in block
    assert "missing.csv` does not exist yet" in block
    assert pd.read_csv(tmp_path / "paper.csv").shape[0] == 5


def test_a_study_left_out_of_the_published_run_is_named_with_its_reason(tmp_path):
    _frame().to_csv(tmp_path / "claims.csv", index=False)
    (tmp_path / "claims.md").write_text("# Claims (profile `paper`, commit `0123456789`)\n")
    times = pd.DataFrame({"jobs": [3]}, index=pd.Index(["uc"], name="study"))
    text = manifest(profile="paper", commit="0123456789", config_hash="abc", times=times, elapsed={},
                    gpu_runs=[], studies=["uc", "pricing"], unpublished=["soc: training cut by the session's time"])
    assert manifest_studies(text) == (["uc", "pricing"], ["soc: training cut by the session's time"])
    uc_row = next(line for line in text.splitlines() if line.startswith("| uc"))
    assert uc_row.rstrip(" |").endswith("n/a")  # no elapsed time given: said so, not a number
    (tmp_path / "MANIFEST").write_text(text)
    block = readme_block(tmp_path / "claims.csv", tmp_path / "missing.csv")
    assert "- **soc**: not in this published run: training cut by the session's time" in block


def test_plot_rules_are_found_by_name_with_or_without_a_suffix():
    rows = [{"rule": "pricing_plot", "output_file": "r/p.png", "input-file(s)": "r/a.csv,r/b.csv"},
            {"rule": "el_plot_sweep", "output_file": "r/e.png", "input-file(s)": "r/c.csv"},
            {"rule": "pricing_allocate", "output_file": "r/a.csv", "input-file(s)": "r/x.json"},
            {"rule": "uc_plotter", "output_file": "r/u.png", "input-file(s)": "r/u.csv"}]
    assert plot_rules(rows) == ["el_plot_sweep", "pricing_plot"]
    assert plot_files(rows) == (["r/a.csv", "r/b.csv", "r/c.csv"], ["r/e.png", "r/p.png"])
