// Loss terms of Eq. 11–12 against hand-computed values on cosine fields, and the
// differentiable ⟨ρ⟩ against csd::physics::EnergyCalculator.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>

#include "csd/physics/elastic.h"
#include "csd/physics/energy.h"
#include "physics_fields.h"
#include "surrogate/loss.h"
#include "surrogate_fixtures.h"

namespace csd::surrogate::detail {
namespace {

using csd::test::kPi;

/// φ = mean + A cos(2π (kx x + ky y)/N) as a [1, 1, N, N] float64 tensor.
torch::Tensor cosine(int n, int kx, int ky, double mean, double amplitude) {
  return test::to_tensor(test::cosine_mode(n, kx, ky, mean, amplitude)).view({1, 1, n, n});
}

/// ⟨w⟩ of mean + A cos over whole periods: expand φ(1−φ) = a + b c + d c² in c = cos
/// and use ⟨c²⟩ = 1/2, ⟨c⁴⟩ = 3/8, odd moments 0.
double analytic_mean_well(double m, double amp, double epsilon) {
  const double a = m * (1 - m), b = amp * (1 - 2 * m), d = -amp * amp;
  return 18.0 / epsilon * (a * a + (b * b + 2 * a * d) / 2 + 3 * d * d / 8);
}

TEST(SurrogateLoss, SquaredGradientUsesPeriodicForwardDifferences) {
  const int n = 32, k = 3;
  const double amp = 0.2, h = 0.5, theta = 2 * kPi * k / n;
  const auto g = squared_gradient(cosine(n, k, 0, 0.5, amp), h).view({n, n});
  // φ(x+1) − φ(x) = −2A sin(θ/2) sin(θ(x + ½)).
  for (int x = 0; x < n; ++x) {
    const double expected =
        std::pow(2 * amp * std::sin(theta / 2) * std::sin(theta * (x + 0.5)), 2) / (h * h);
    EXPECT_NEAR(g[5][x].item<double>(), expected, 1e-13) << x;
  }
  // Along y the field is constant: transposing moves the whole gradient there.
  const auto gy = squared_gradient(cosine(n, 0, k, 0.5, amp), h).view({n, n});
  EXPECT_NEAR(gy[7][11].item<double>(), g[11][7].item<double>(), 1e-13);
}

TEST(SurrogateLoss, MeanWellOfCosineField) {
  for (double m : {0.3, 0.5, 0.62}) {
    const double amp = 0.15, epsilon = 5.0;
    const double got = mean_well(cosine(32, 2, 1, m, amp), epsilon).item<double>();
    EXPECT_NEAR(got, analytic_mean_well(m, amp, epsilon), 1e-13) << m;
  }
}

TEST(SurrogateLoss, MeanElasticOfSingleModes) {
  const physics::Params p;
  const int n = 32;
  const double amp = 0.1, eta = 0.008;
  const auto weights = elastic_spectral_weights(n, p);
  const auto eta_t = torch::tensor({eta}, torch::kFloat64).view({1, 1});
  // A mode along ⟨10⟩: ⟨ρ⟩ = η² A² tr B⟨10⟩ / 4, with tr B⟨10⟩ = 2.25·10⁴.
  EXPECT_NEAR(mean_elastic(cosine(n, 3, 0, 0.4, amp), eta_t, weights).item<double>(),
              eta * eta * amp * amp * 2.25e4 / 4, 1e-12);
  // Along ⟨11⟩ (a mode whose twin lies outside the stored half spectrum).
  const double trb_diagonal = physics::trace_b(1, 1, p);
  EXPECT_NEAR(trb_diagonal, 5.143e4, 5.0);
  EXPECT_NEAR(mean_elastic(cosine(n, 2, 2, 0.4, amp), eta_t, weights).item<double>(),
              eta * eta * amp * amp * trb_diagonal / 4, 1e-12);
  // The Nyquist column kx = N/2 is its own twin: (−1)^x has ⟨c²⟩ = 1, ⟨ρ⟩ = η² A² trB / 2.
  EXPECT_NEAR(mean_elastic(cosine(n, n / 2, 0, 0.4, amp), eta_t, weights).item<double>(),
              eta * eta * amp * amp * 2.25e4 / 2, 1e-12);
}

TEST(SurrogateLoss, DifferentiableRhoEqualsTheSolversEnergyCalculator) {
  physics::Params p;
  p.c11 = 2.5e4;  // non-default constants: the table must come from the params
  p.c44 = 2.0e4;
  for (int n : {24, 33}) {
    const Field phi = test::random_field(n, 0.45, 0.3, 17 + n);
    const double eta = 0.011;
    const physics::EnergyCalculator energy(n, p);
    const double expected = energy(phi, eta).rho;
    const auto got = mean_elastic(test::to_tensor(phi), torch::tensor(eta, torch::kFloat64),
                                  elastic_spectral_weights(n, p));
    EXPECT_NEAR(got.item<double>(), expected, 1e-6 * expected) << n;
    EXPECT_NEAR(2 * mean_well(test::to_tensor(phi), p.epsilon).item<double>() + got.item<double>(),
                energy(phi, eta).f, 1e-6 * energy(phi, eta).f);
  }
}

TEST(SurrogateLoss, ElasticGradientMatchesFiniteDifferences) {
  const physics::Params p;
  const int n = 12;
  auto phi = test::to_tensor(test::random_field(n, 0.5, 0.2, 4)).requires_grad_(true);
  const auto weights = elastic_spectral_weights(n, p);
  const auto eta = torch::tensor(0.01, torch::kFloat64);
  const auto grad = torch::autograd::grad({mean_elastic(phi, eta, weights)}, {phi})[0];
  torch::NoGradGuard no_grad;
  for (auto [y, x] : {std::pair{0, 0}, std::pair{3, 7}, std::pair{11, 5}}) {
    const double step = 1e-6;
    auto plus = phi.detach().clone(), minus = phi.detach().clone();
    plus[y][x] += step;
    minus[y][x] -= step;
    const double numeric = (mean_elastic(plus, eta, weights) - mean_elastic(minus, eta, weights))
                               .item<double>() / (2 * step);
    EXPECT_NEAR(grad[y][x].item<double>(), numeric, 1e-8 * std::max(1.0, std::abs(numeric)));
  }
}

TEST(SurrogateLoss, TermsOfEquation12OnCosineFields) {
  physics::Params p;
  p.grid_spacing = 1.0;
  const int n = 32, k = 2;
  const double m = 0.5, a_true = 0.2, a_pred = 0.15, eta = 0.006, theta = 2 * kPi * k / n;
  const double lambda_grad = 60, lambda_f = 150;
  PhysicsLoss loss(p, lambda_grad, lambda_f);
  const auto target = cosine(n, k, 0, m, a_true);
  const auto prediction = cosine(n, k, 0, m, a_pred);
  const auto eta_t = torch::tensor({eta}, torch::kFloat64);
  const auto terms = loss(prediction, target, eta_t);

  const double l_phi = std::pow(a_true - a_pred, 2) / 2;
  // |∇φ|² = 4A² s² sin²(θ(x+½)), s = sin(θ/2); ⟨sin⁴⟩ = 3/8.
  const double s2 = std::pow(std::sin(theta / 2), 2);
  const double l_grad = 16 * s2 * s2 * std::pow(a_true * a_true - a_pred * a_pred, 2) * 3.0 / 8;
  auto f = [&](double amp) {
    return 2 * analytic_mean_well(m, amp, p.epsilon) + eta * eta * amp * amp * 2.25e4 / 4;
  };
  const double l_f = std::pow(f(a_true) - f(a_pred), 2);
  EXPECT_NEAR(terms.phi.item<double>(), l_phi, 1e-14);
  EXPECT_NEAR(terms.grad.item<double>(), l_grad, 1e-14);
  EXPECT_NEAR(terms.free_energy.item<double>(), l_f, 1e-14);
  EXPECT_NEAR(terms.total.item<double>(), l_phi + lambda_grad * l_grad + lambda_f * l_f, 1e-12);

  // Identical fields: every term vanishes.
  const auto same = loss(target, target, eta_t);
  EXPECT_EQ(same.total.item<double>(), 0.0);
}

TEST(SurrogateLoss, MeansOverFramesAndSequences) {
  // Two sequences × two frames with different errors: L is the plain average.
  const physics::Params p;
  PhysicsLoss loss(p, 0.0, 0.0);
  const auto target = torch::zeros({2, 2, 8, 8}, torch::kFloat64);
  auto prediction = torch::zeros({2, 2, 8, 8}, torch::kFloat64);
  prediction[0][0].fill_(0.1);
  prediction[1][1].fill_(0.3);
  const auto terms = loss(prediction, target, torch::tensor({0.0, 0.01}, torch::kFloat64));
  EXPECT_NEAR(terms.total.item<double>(), (0.01 + 0.09) / 4, 1e-15);
}

TEST(SurrogateLoss, PersistenceBalancingWeighsEachSequenceByItsTrivialLoss) {
  // L_φ only: sequence 0 changes by 0.2 (persistence loss 0.04), sequence 1 by 0.02
  // (4e-4). The same absolute error 0.01 counts 100× more in the slow sequence.
  const physics::Params p;
  PhysicsLoss loss(p, 0.0, 0.0);
  const double floor = 1e-4;
  const auto last_given = torch::full({2, 1, 8, 8}, 0.5, torch::kFloat64);
  auto target = torch::full({2, 3, 8, 8}, 0.5, torch::kFloat64);
  target[0].add_(0.2);
  target[1].add_(0.02);
  const auto prediction = (target + 0.01).requires_grad_();
  const auto terms = loss.balanced(prediction, target, torch::tensor({0.0, 0.01}, torch::kFloat64),
                                   last_given, floor);
  const double expected = (1e-4 / (0.04 + floor) + 1e-4 / (4e-4 + floor)) / 2;
  EXPECT_NEAR(terms.total.item<double>(), expected, 1e-14);
  EXPECT_NEAR(terms.phi.item<double>(), 1e-4, 1e-15);  // the reported term stays unweighted
  terms.total.backward();
  const auto grad = prediction.grad();
  // dL/dφ̃ per pixel ∝ weight: ratio (0.04 + floor) / (4e-4 + floor) between the sequences.
  EXPECT_NEAR((grad[1][0][0][0] / grad[0][0][0][0]).item<double>(), (0.04 + floor) / (4e-4 + floor),
              1e-9);
  // Predicting "nothing changes" scores S / (S + floor) per sequence.
  const auto trivial = loss.balanced(last_given.expand_as(target), target,
                                     torch::tensor({0.0, 0.01}, torch::kFloat64), last_given, floor);
  EXPECT_NEAR(trivial.total.item<double>(), (0.04 / (0.04 + floor) + 4e-4 / (4e-4 + floor)) / 2,
              1e-14);
}


TEST(SurrogateLoss, FrameBalancingWeighsEachFrameByItsTrivialLoss) {
  // L_φ only, one sequence: frame 0 changes by 0.02 from the last given frame
  // (persistence loss 4e-4), frame 1 by 0.2 (0.04). The same error 0.01 counts ~100×
  // more in the early frame, where per-sequence balancing would weigh both alike.
  const physics::Params p;
  PhysicsLoss loss(p, 0.0, 0.0);
  const double floor = 1e-4;
  const auto last_given = torch::full({1, 1, 8, 8}, 0.5, torch::kFloat64);
  auto target = torch::full({1, 2, 8, 8}, 0.5, torch::kFloat64);
  target[0][0].add_(0.02);
  target[0][1].add_(0.2);
  const auto eta = torch::tensor({0.004}, torch::kFloat64);
  const auto prediction = (target + 0.01).requires_grad_();
  const auto terms = loss.balanced_per_frame(prediction, target, eta, last_given, floor);
  EXPECT_NEAR(terms.total.item<double>(), (1e-4 / (4e-4 + floor) + 1e-4 / (0.04 + floor)) / 2,
              1e-14);
  EXPECT_NEAR(terms.phi.item<double>(), 1e-4, 1e-15);  // the reported term stays unweighted
  terms.total.backward();
  const auto grad = prediction.grad();
  EXPECT_NEAR((grad[0][0][0][0] / grad[0][1][0][0]).item<double>(), (0.04 + floor) / (4e-4 + floor),
              1e-9);
  // Per sequence, the two frames would share one weight 1 / (mean S + floor).
  const auto whole = loss.balanced(prediction, target, eta, last_given, floor);
  EXPECT_NEAR(whole.total.item<double>(), 1e-4 / ((4e-4 + 0.04) / 2 + floor), 1e-14);
}

TEST(SurrogateLoss, FrameBalancingWithEveryTermIsTheMeanOfSingleFrameRatios) {
  // Random fields and all three terms: the per-frame loss equals the mean over (b, t) of
  // the plain loss of frame (b, t) divided by the plain loss of repeating the last given
  // frame there, plus the floor.
  const physics::Params p;
  PhysicsLoss loss(p, 60.0, 150.0, 2.5);
  torch::manual_seed(3);
  const auto last_given = 0.5 + 0.1 * torch::randn({2, 1, 8, 8}, torch::kFloat64);
  const auto target = last_given + 0.05 * torch::randn({2, 3, 8, 8}, torch::kFloat64);
  const auto prediction = target + 0.02 * torch::randn({2, 3, 8, 8}, torch::kFloat64);
  const auto eta = torch::tensor({0.0, 0.01}, torch::kFloat64);
  const double floor = 1e-3;
  double expected = 0;
  for (int64_t b = 0; b < 2; ++b)
    for (int64_t t = 0; t < 3; ++t) {
      const auto one = [&](const torch::Tensor& x) { return x.narrow(0, b, 1).narrow(1, t, 1); };
      const auto eta_b = eta.narrow(0, b, 1);
      const double l = loss(one(prediction), one(target), eta_b).total.item<double>();
      const double s = loss(last_given.narrow(0, b, 1), one(target), eta_b).total.item<double>();
      expected += l / (s + floor) / 6;
    }
  const auto terms = loss.balanced_per_frame(prediction, target, eta, last_given, floor);
  EXPECT_NEAR(terms.total.item<double>(), expected, 1e-12 * expected);
}

}  // namespace
}  // namespace csd::surrogate::detail
