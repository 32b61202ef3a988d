"""Tools for rule and plugin authors: lint, the rule-example tests, match statistics and evaluation
against gold labels."""
