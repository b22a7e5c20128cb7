"""Image lab: choose an image, flip / rotate it, normalize it, see the numbers handed to the first layer."""
from playground.ui.image_lab import page
from playground.ui.runtime import boot

boot.require_app()
page.main()
