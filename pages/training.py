"""Training lab: train the Layer lab's stack on digits or shapes and watch it learn, live."""
from playground.ui.runtime import boot
from playground.ui.training import page

boot.require_app()
page.main()
