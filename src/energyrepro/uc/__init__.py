"""Study `uc`: unit commitment by Lagrangian relaxation tuned with HDE / IHDE, against an exact MILP."""
