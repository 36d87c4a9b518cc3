"""The screens: one module per section (people, reception, nursery, elderly club, workshops,
campaigns, club activities, case notes, reports, sync, accounts, backups), the dialogs they
open, and what they share (`common.py`, the day board `boards.py`, the list-plus-period pane
`panes.py`); the shell around them stays in `jisr_desktop/ui/`. Every module here that no
section names is imported by `load_plugins` (jisr_desktop/ui/sections.py) so that its
`register_section` lines run."""
