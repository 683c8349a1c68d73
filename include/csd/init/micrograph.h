#pragma once
/// Turning a grey micrograph into an initial composition field (csd import,
/// csd/pipeline/import_image.h). Plain row-major buffers of doubles; no I/O.
///
/// The order csd import applies them: invert → centre crop → smooth → match the mean.
#include <vector>

namespace csd::init {

/// A row-major image: `values` has width × height entries, top row first.
struct GreyField {
  int width = 0, height = 0;
  std::vector<double> values;
};

/// v ↦ 1 − v (bright phase becomes φ = 0).
void invert(GreyField& field);

/// The centred n×n square of `field` (rows and columns dropped equally from both sides;
/// an odd surplus drops one more at the right and bottom). Pixels are kept one for one:
/// a crop never resamples, so a feature keeps its size in grid cells. Throws csd::Error
/// when n exceeds the width or height.
GreyField centre_crop(const GreyField& field, int n);

/// Gaussian blur of standard deviation `sigma` pixels (a separable kernel cut at 4σ,
/// normalised to sum 1), edges mirrored: the micrograph is not periodic, so the blur
/// never mixes opposite edges. sigma = 0 leaves the field unchanged.
void gaussian_smooth(GreyField& field, double sigma);

/// Replaces every value v by clamp(v + c, 0, 1) with the one shift c for which the mean
/// is `mean` (0 < mean < 1). The clipped mean is continuous and non-decreasing in c and
/// runs from 0 (c = −1) to 1 (c = +1) for values in [0, 1], so bisection on c finds it
/// to double round-off; returns c.
double shift_to_mean(GreyField& field, double mean);

/// Mean of the values.
double mean_of(const GreyField& field);

}  // namespace csd::init
