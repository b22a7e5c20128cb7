"""Layer lab: edit a conv / pool / activation stack and watch every layer's shapes and feature maps."""
from playground.ui import boot
from playground.ui.layer_lab import page

boot.require_app()
page.main()
