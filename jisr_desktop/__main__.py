from jisr_desktop.cli import main

raise SystemExit(main())
