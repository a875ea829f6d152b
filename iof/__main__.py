import sys

from iof.cli import main

sys.exit(main())
