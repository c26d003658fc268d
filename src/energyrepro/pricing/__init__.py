"""Study `pricing` (Saxena & Bhusan 2020): postage-stamp and MW-mile transmission pricing with
GGDF/GLDF flow tracing, counter-flow sharing, and a GA vs PSO economic dispatch on IEEE 30-bus."""
