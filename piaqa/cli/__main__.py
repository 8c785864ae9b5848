"""`python -m piaqa.cli`: the same as the `piaqa` command."""
import sys

from . import main

sys.exit(main())
