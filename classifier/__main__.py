"""``python -m classifier`` runs the same CLI as ``policy-classify``."""

from classifier.cli.main import main

raise SystemExit(main())
