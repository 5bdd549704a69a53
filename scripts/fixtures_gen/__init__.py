"""Building blocks of scripts/generate-fixtures: the seeded Prism Central that pcmock loads at start."""
