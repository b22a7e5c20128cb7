"""The image and its preparation: safe decoding, samples, flip / rotate, normalization, 'show the code'."""
