"""testkit/loaduploads.py: the load tool's upload is the largest picture the Image lab accepts, and each tab's differs."""
from playground.image.decode import MAX_PIXELS, decode_image
from playground.ui.images import MAX_FILE_BYTES
from testkit.loaduploads import SIDE, largest_png


def test_the_upload_is_at_the_pixel_cap_under_the_file_cap_and_decodes():
    data = largest_png(0)
    assert len(data) < MAX_FILE_BYTES
    assert SIDE[0] * SIDE[1] <= MAX_PIXELS < (SIDE[0] + 1) * (SIDE[1] + 1)
    decoded = decode_image(data)
    assert decoded.pixels.shape[:2] == (SIDE[1], SIDE[0])


def test_each_tab_sends_a_different_file():
    assert largest_png(0) != largest_png(1)
