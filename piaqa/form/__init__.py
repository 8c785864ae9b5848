"""The published form: the 様式 catalogue of the three form types (yoshiki.toml) and its reader."""
