"""Where a trained model looked, with Captum: Grad-CAM, Integrated Gradients and Occlusion for one input.

Each view takes one normalized (C, H, W) input and a target class and returns an (H, W) map in 0..1 plus
the method's name. The zero input of the baselines (Integrated Gradients' starting point, Occlusion's
patch) is zero *after* normalization: the training set's mean colour under z-score, black under 0..1.

- "gradcam": Captum's LayerGradCam on the last conv layer (a family's Grad-CAM target), read after the
  elementwise layers that follow it (activation, BatchNorm, dropout keep every value in place), ReLU'd and
  resized to the input. A stack without a conv, or a map that is zero everywhere, falls back to "gradient"
  (|∂score/∂input|, Saliency).
- "integrated_gradients": |attribution| summed over channels (IG_STEPS steps from the zero input).
- "occlusion": how much the score drops when a square of the input is set to zero (ReLU'd: only drops).

Captum is imported on first use: it pulls in matplotlib and IPython, about a second at start-up.
"""
from __future__ import annotations

import cv2
import numpy as np
import torch
from torch import nn

from playground.layers.kinds import of_module

METHODS = ("gradcam", "integrated_gradients", "occlusion")  # the views the page offers; "gradient" is a fallback
IG_STEPS = 32


def _family(module):
    """The family of the layer kind that built a module, or None (the classifier's head)."""
    entry = of_module(module)
    return entry.family if entry is not None else None


def last_conv_index(model: nn.Sequential) -> int | None:
    """Where Grad-CAM reads activations: the last layer whose family is a Grad-CAM target (a conv, a transposed
    conv), plus the elementwise layers right after it (activation, BatchNorm, dropout keep every value in place)."""
    targets = [i for i, m in enumerate(model) if (f := _family(m)) is not None and f.cam_target]
    if not targets:
        return None
    i = targets[-1]
    while i + 1 < len(model) and (f := _family(model[i + 1])) is not None and f.elementwise:
        i += 1
    return i


def occlusion_window(h: int, w: int) -> tuple[int, int]:
    """(side, stride) of the occluding square: a fifth of the input (at least 2 px), half-overlapping."""
    side = max(2, min(h, w) // 5)
    return side, max(1, side // 2)


def _batch(x: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(np.ascontiguousarray(x, np.float32))[None]  # (1, C, H, W)


def grad_cam(model: nn.Sequential, x: np.ndarray, target: int) -> np.ndarray | None:
    """ReLU(Σ_k mean(∂score/∂A_k) · A_k) at the Grad-CAM layer: (h, w); None without a conv."""
    from captum.attr import LayerGradCam

    cut = last_conv_index(model)
    if cut is None:
        return None
    cam = LayerGradCam(model, model[cut]).attribute(_batch(x), target=target, relu_attributions=True)
    return cam[0, 0].detach().numpy()  # (1, 1, h, w) -> (h, w)


def input_gradient(model: nn.Sequential, x: np.ndarray, target: int) -> np.ndarray:
    """|∂score/∂input| summed over channels: (H, W)."""
    from captum.attr import Saliency

    inp = _batch(x).requires_grad_(True)  # Captum warns when it has to switch this on itself
    return Saliency(model).attribute(inp, target=target, abs=True)[0].sum(0).detach().numpy()


def integrated_gradients(model: nn.Sequential, x: np.ndarray, target: int) -> np.ndarray:
    """|Integrated Gradients| from the zero input, summed over channels: (H, W)."""
    from captum.attr import IntegratedGradients

    attr = IntegratedGradients(model).attribute(_batch(x), baselines=0.0, target=target, n_steps=IG_STEPS,
                                                internal_batch_size=IG_STEPS)
    return attr[0].abs().sum(0).detach().numpy()


def occlusion(model: nn.Sequential, x: np.ndarray, target: int) -> np.ndarray:
    """Score drop when a square around each pixel is zeroed, averaged over the squares, ReLU'd: (H, W)."""
    from captum.attr import Occlusion

    c, h, w = x.shape
    side, stride = occlusion_window(h, w)
    attr = Occlusion(model).attribute(_batch(x), sliding_window_shapes=(c, side, side), strides=(c, stride, stride),
                                      baselines=0.0, target=target, perturbations_per_eval=64)
    return np.maximum(attr[0].mean(0).detach().numpy(), 0.0)  # every channel holds the same drop


def to_unit(cam: np.ndarray, h: int, w: int) -> np.ndarray:
    """Resize a map to (h, w) bilinearly and scale it to 0..1 (an all-zero map stays zero)."""
    cam = cv2.resize(np.asarray(cam, np.float32), (w, h), interpolation=cv2.INTER_LINEAR)
    top = float(cam.max())
    return cam / top if top > 0 else cam


_VIEWS = {"integrated_gradients": integrated_gradients, "occlusion": occlusion}


def attribute(model: nn.Sequential, x: np.ndarray, target: int, method: str = "gradcam") -> tuple[np.ndarray, str]:
    """(map (H, W) in 0..1, method used) for one (C, H, W) input and class; "gradcam" may become "gradient"."""
    if method not in METHODS:
        raise ValueError(f"unknown attribution method {method!r}; one of {METHODS}")
    model.eval()
    h, w = x.shape[1:]
    if method == "gradcam":
        cam = grad_cam(model, x, target)
        if cam is not None and cam.max() > 0:
            return to_unit(cam, h, w), "gradcam"
        return to_unit(input_gradient(model, x, target), h, w), "gradient"
    return to_unit(_VIEWS[method](model, x, target), h, w), method
