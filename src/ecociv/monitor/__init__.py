"""Air and water quality indicators from monitoring data (HJ 633, HJ 663, GB 3095, GB 3838)."""
