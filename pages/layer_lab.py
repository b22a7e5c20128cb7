"""Layer lab: edit a conv / pool / activation stack and watch every layer's shapes and feature maps."""
from playground.ui.layer_lab import page
from playground.ui.runtime import boot

boot.require_app()
page.main()
