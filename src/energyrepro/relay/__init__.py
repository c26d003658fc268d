"""Study `relay`: Oleskovicz, Coury & Aggarwal (2003), ANN distance relay for a 440 kV line; EMT runs in DPsim."""
