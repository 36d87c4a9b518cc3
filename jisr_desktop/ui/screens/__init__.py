"""The service screens (nursery, elderly club, workshops, campaigns, club activities) and the
dialogs and helpers they share; every module here is imported by `load_plugins`
(jisr_desktop/ui/sections.py) so that its `register_section` lines run."""
