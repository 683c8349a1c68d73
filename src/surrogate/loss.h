#pragma once
/// Training loss of paper Eq. 11–12, differentiable (LibTorch). Internal.
///
///   L = mean over sequences b and predicted frames t of
///       L_φ + λ_∇ L_∇ + λ_f L_f,
///   L_φ = ⟨(φ − φ̃)²⟩,
///   L_∇ = ⟨(|∇φ|² − |∇φ̃|²)²⟩,
///   L_f = (⟨f⟩(φ) − ⟨f⟩(φ̃))²,   ⟨f⟩ = 2⟨w⟩ + ⟨ρ⟩  (docs/architecture.md §3),
/// ⟨·⟩ the spatial mean. Since every frame has the same N, the mean over (b, t) of the
/// spatial means equals the plain mean over all pixels of all predicted frames.
///
/// Discretisations (our choices, documented):
///  - |∇φ|² uses periodic *forward* differences,
///      |∇φ|²(x, y) = [(φ(x+1, y) − φ(x, y))² + (φ(x, y+1) − φ(x, y))²] / h²,
///    the cheapest consistent stencil; it sees the grid-scale checkerboard (which a
///    central difference would miss), so L_∇ also penalises grid-scale noise.
///  - ⟨w⟩ = mean of 18/ε φ²(1−φ)² over the pixels.
///  - ⟨ρ⟩ = ½ η² (1/N⁴) Σ_k tr B(k) |φ̂_k|² with the unnormalised DFT, evaluated on the
///    r2c half spectrum (torch::fft::rfft2) with multiplicity 2 for 0 < kx < N/2 and 1
///    for kx = 0 and kx = N/2, using csd::physics::trace_b_grid: the same numbers as
///    csd::physics::EnergyCalculator. φ − ⟨φ⟩ is transformed (tr B(0) = 0, so ⟨ρ⟩ is
///    unchanged) to keep the large k = 0 coefficient out of float32 rounding.
/// ε, h and the elastic constants come from the dataset (DatasetInfo::physics).
///
/// Optional balancing (train.loss_balance = "persistence", not in the paper): each
/// sequence's loss L_b is divided by S_b + floor, where S_b is the same loss of the
/// trivial prediction "nothing changes" (every predicted frame = the last given frame).
/// S_b spans six decades across ⟨φ⟩ and η (a field far inside the spinodal changes by
/// O(0.3), one outside it by 10⁻³), so the plain mean is ruled by the fastest 10 % of
/// sequences; the balanced loss asks for the same *relative* accuracy on every sequence.
///
/// Per-frame balancing (train.loss_balance = "frame"): the same, frame by frame: each
/// predicted frame's loss L_bt is divided by S_bt + floor, S_bt the loss of repeating the
/// last given frame at frame t. From φ₀ the first frame changes by ~1/60 of what the
/// 20th does, so its squared error weighs ~3600× less in the plain mean, although the
/// exponential stage amplifies it; and frames of linearly stable sequences, which barely
/// change, count as well (docs/training.md, "Per-frame balancing").
#include <torch/torch.h>

#include <map>
#include <utility>

#include "csd/physics/params.h"

namespace csd::surrogate::detail {

/// |∇φ|² on the last two dimensions, periodic forward differences, grid spacing h.
torch::Tensor squared_gradient(const torch::Tensor& phi, double grid_spacing);

/// ⟨w(φ)⟩ over the last two dimensions: shape phi.shape[:-2].
torch::Tensor mean_well(const torch::Tensor& phi, double epsilon);

/// Weights W_k = multiplicity(kx) · tr B(k) / N⁴ on the r2c half spectrum,
/// [N, N/2+1] float64 on the CPU, so that ⟨ρ⟩ = ½ η² Σ_k W_k |φ̂_k|².
torch::Tensor elastic_spectral_weights(int n, const physics::Params& params);

/// ⟨ρ⟩ over the last two dimensions: shape phi.shape[:-2]. `eta` (fraction) must
/// broadcast against that shape; `weights` from elastic_spectral_weights (any device,
/// converted to phi's dtype).
torch::Tensor mean_elastic(const torch::Tensor& phi, const torch::Tensor& eta,
                           const torch::Tensor& weights);

/// Weights G_k = multiplicity(kx) · q² / N⁴ on the r2c half spectrum, [N, N/2+1]
/// float64 on the CPU, so that the spectral ⟨|∇φ|²⟩ = Σ_k G_k |φ̂_k|² (the solver's q²).
torch::Tensor gradient_spectral_weights(int n, double grid_spacing);

/// Mean rise of energies [B, T] (T ≥ 2) between consecutive frames:
/// mean over b and t of max(0, E[b, t+1] − E[b, t]). Differentiable.
torch::Tensor mean_energy_increase(const torch::Tensor& energies);

struct LossTerms {
  torch::Tensor total;        ///< L (scalar, differentiable)
  torch::Tensor phi;          ///< mean L_φ (detached)
  torch::Tensor grad;         ///< mean L_∇ (detached)
  torch::Tensor free_energy;  ///< mean L_f (detached)
  torch::Tensor energy_rise;  ///< mean_energy_increase of the exact F (detached; undefined if off)
  torch::Tensor range_excess;  ///< mean_range_excess of the predictions (detached; undefined if off)
};

/// The band the range penalty leaves free: the solver's own fields stay within about
/// [−0.02, 1.02] on the training and test sets (docs/training.md, "Range penalty"),
/// so what is priced is a surrogate's overshoot.
inline constexpr double kRangeLow = -0.02, kRangeHigh = 1.02;

/// Mean over every element of max(0, low − φ)² + max(0, φ − high)². Differentiable.
torch::Tensor mean_range_excess(const torch::Tensor& phi, double low = kRangeLow,
                                double high = kRangeHigh);

/// Term weights: L = (L_φ + λ_∇ L_∇ + λ_f L_f) / normaliser.
struct LossWeights {
  double lambda_grad = 60.0, lambda_f = 150.0, normaliser = 1.0;  ///< the paper's
  /// P_E, the training data's mean |F(t+1) − F(t)| per frame (exact F): the energy
  /// penalty's unit, so λ_E = 1 prices a rise like a typical frame's fall.
  double energy_scale = 1.0;
  /// train.loss_weights = "auto": from the mean terms P_φ, P_∇, P_f of the prediction
  /// "nothing changes" on the training data, λ_∇ = P_φ/P_∇, λ_f = P_φ/P_f and
  /// normaliser = 3 P_φ: each term is a third of that trivial loss, which scores 1, so no
  /// term rules the gradient (with 60/150, λ_f L_f is ~97 % of it at τ = 100, and a model
  /// can lower the loss by fixing ⟨f⟩ alone). Throws csd::Error if a term is not > 0.
  static LossWeights balanced_terms(double p_phi, double p_grad, double p_f);
};

class PhysicsLoss {
 public:
  PhysicsLoss(const physics::Params& params, double lambda_grad, double lambda_f,
              double normaliser = 1.0);

  /// prediction, target: [B, F, N, N]; eta: [B] (fraction).
  LossTerms operator()(const torch::Tensor& prediction, const torch::Tensor& target,
                       const torch::Tensor& eta);

  /// The balanced loss (see above): mean_b L_b / (S_b + floor), with S_b the loss of
  /// predicting `last_given` ([B, 1, N, N]) for every target frame. The component
  /// terms in LossTerms stay unweighted means.
  LossTerms balanced(const torch::Tensor& prediction, const torch::Tensor& target,
                     const torch::Tensor& eta, const torch::Tensor& last_given, double floor);

  /// The per-frame balanced loss (see above): mean over b and t of L_bt / (S_bt + floor).
  LossTerms balanced_per_frame(const torch::Tensor& prediction, const torch::Tensor& target,
                               const torch::Tensor& eta, const torch::Tensor& last_given,
                               double floor);

  /// ⟨f⟩ = 2⟨w⟩ + ⟨ρ⟩ per frame: [B, F] for phi [B, F, N, N] and eta [B].
  torch::Tensor mean_free_energy(const torch::Tensor& phi, const torch::Tensor& eta);

  /// Adds weight · mean_energy_increase(exact_free_energy(frames, eta)) to terms.total
  /// and records the rise in terms.energy_rise. frames: [B, T, N, N] consecutive
  /// predictions, T ≥ 2; weight ≥ 0 (already divided by the data's energy scale).
  void add_energy_penalty(LossTerms& terms, const torch::Tensor& frames, const torch::Tensor& eta,
                          double weight);

  /// Adds weight · mean_range_excess(frames) to terms.total and records the excess in
  /// terms.range_excess. frames: any predictions; weight ≥ 0.
  void add_range_penalty(LossTerms& terms, const torch::Tensor& frames, double weight);

  /// The exact discrete free energy per pixel, F/N² = ε/2 ⟨|∇φ|²⟩ + ⟨w⟩ + ⟨ρ⟩ with the
  /// spectral gradient, per frame: [B, F] for phi [B, F, N, N] and eta [B]. The same
  /// numbers as physics::EnergyCalculator's `total`, the functional the solver lowers.
  torch::Tensor exact_free_energy(const torch::Tensor& phi, const torch::Tensor& eta);

 private:
  struct PerSequence {
    torch::Tensor phi, grad, free_energy;  ///< [B] (or [B, F] per frame) each, differentiable
    double lambda_grad = 0, lambda_f = 0, normaliser = 1;
    torch::Tensor total() const;           ///< (L_φ + λ_∇ L_∇ + λ_f L_f) / normaliser
  };
  /// Per-sequence terms; f_prediction and f_target are ⟨f⟩ per frame ([B, F] or [B, 1]).
  /// per_frame: [B, F] terms (means over pixels only) instead of [B].
  PerSequence per_sequence(const torch::Tensor& prediction, const torch::Tensor& target,
                           const torch::Tensor& f_prediction, const torch::Tensor& f_target,
                           bool per_frame = false) const;
  /// balanced() and balanced_per_frame(): terms / (the same terms of repeating
  /// last_given + floor), averaged.
  LossTerms balanced_by(const torch::Tensor& prediction, const torch::Tensor& target,
                        const torch::Tensor& eta, const torch::Tensor& last_given, double floor,
                        bool per_frame);
  /// ⟨f⟩ of the target frames, without a graph (computed once per loss evaluation).
  torch::Tensor target_free_energy(const torch::Tensor& target, const torch::Tensor& eta);
  LossTerms summarise(const PerSequence& terms, const torch::Tensor& total) const;

  /// tr B (or q², `gradient`) weights for size n on the device and dtype of `like`,
  /// built once per key.
  const torch::Tensor& weights_for(int n, const torch::Tensor& like, bool gradient = false);

  physics::Params params_;
  double lambda_grad_, lambda_f_, normaliser_;
  std::map<std::pair<int, std::string>, torch::Tensor> weights_;
};

}  // namespace csd::surrogate::detail
