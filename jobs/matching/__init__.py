"""Job matching (岗位匹配): sentence encoder, vector index and ranking."""
