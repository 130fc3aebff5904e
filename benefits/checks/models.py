"""Cross-department checks (家庭经济状况核对), registered-poor roster reconciliation (建档立卡), reports and dashboard."""
