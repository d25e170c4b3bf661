"""Analysis over the store: indicators, alerts, assessment reports and the dashboard's queries."""
