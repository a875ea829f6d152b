import sys

from iof.cli.main import main

sys.exit(main())
