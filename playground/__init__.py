"""CNN Playground core: pure numpy / torch / cv2 / PIL / sklearn code. Never imports streamlit."""
