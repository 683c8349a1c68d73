#include <gtest/gtest.h>

#include <complex>
#include <vector>

#include "csd/core/error.h"
#include "csd/physics/spectral.h"
#include "physics_fields.h"

namespace csd::physics {
namespace {

using Complex = std::complex<double>;

TEST(Spectral, ForwardOfACosineIsTwoDeltaPeaks) {
  const int n = 16;
  Spectral fft(n);
  ASSERT_EQ(fft.spectral_size(), n * (n / 2 + 1));
  const Field f = test::cosine_mode(n, 3, 2, 0.25, 0.5);
  AlignedBuffer<double> real(n * n);
  std::copy(f.data(), f.data() + f.size(), real.data());
  AlignedBuffer<Complex> spec(fft.spectral_size());
  fft.forward(real.data(), spec.data());
  const int half = n / 2 + 1;
  for (int iy = 0; iy < n; ++iy) {
    for (int ix = 0; ix < half; ++ix) {
      double expected = 0.0;
      if (ix == 0 && iy == 0) expected = 0.25 * n * n;
      if (ix == 3 && iy == 2) expected = 0.5 * n * n / 2;  // the conjugate twin (−3,−2) is implied
      EXPECT_NEAR(std::abs(spec[iy * half + ix]), expected, 1e-12) << iy << "," << ix;
    }
  }
  EXPECT_EQ(real[5], f.data()[5]) << "forward must not modify its input";
}

TEST(Spectral, BackwardInvertsForwardForAlignedAndUnalignedBuffers) {
  for (int n : {8, 9, 32}) {  // even and odd sizes
    Spectral fft(n);
    const Field f = test::random_field(n, 0.5, 0.3, 7);
    // Deliberately misaligned copies (offset by one double) exercise the staging path.
    std::vector<double> shifted_in(n * n + 1), shifted_out(n * n + 1);
    std::copy(f.data(), f.data() + f.size(), shifted_in.data() + 1);
    std::vector<Complex> spec_unaligned(fft.spectral_size() + 1);
    fft.forward(shifted_in.data() + 1, spec_unaligned.data() + 1);

    AlignedBuffer<double> real(n * n);
    AlignedBuffer<Complex> spec(fft.spectral_size());
    std::copy(f.data(), f.data() + f.size(), real.data());
    fft.forward(real.data(), spec.data());
    for (int k = 0; k < fft.spectral_size(); ++k)
      EXPECT_EQ(spec[k], spec_unaligned[k + 1]) << "n=" << n << " k=" << k;

    AlignedBuffer<double> back(n * n);
    fft.backward(spec.data(), back.data());
    fft.backward(spec_unaligned.data() + 1, shifted_out.data() + 1);
    for (int i = 0; i < n * n; ++i) {
      EXPECT_NEAR(back[i], f.data()[i], 1e-14);
      EXPECT_NEAR(shifted_out[i + 1], f.data()[i], 1e-14);
    }
  }
}

TEST(Spectral, UnnormalisedBackwardIsNSquaredTimesTheField) {
  const int n = 8;
  Spectral fft(n, PlanEffort::kMeasure);
  const Field f = test::random_field(n, 0.0, 1.0, 3);
  AlignedBuffer<double> real(n * n), back(n * n);
  std::copy(f.data(), f.data() + f.size(), real.data());
  AlignedBuffer<Complex> spec(fft.spectral_size());
  fft.forward(real.data(), spec.data());
  fft.backward_unnormalised_destroying(spec.data(), back.data());
  for (int i = 0; i < n * n; ++i) EXPECT_NEAR(back[i], n * n * real[i], 1e-12);
}

TEST(Spectral, EstimatePlansAreNotChangedByEarlierMeasuredPlans) {
  // Bit-reproducible datasets rely on kEstimate giving the same plan, hence the same
  // rounding, whatever was planned before in the process.
  const int n = 128;
  const Field f = test::random_field(n, 0.5, 0.3, 13);
  auto transform = [&](PlanEffort effort) {
    Spectral fft(n, effort);
    std::vector<Complex> spec(fft.spectral_size());
    fft.forward(f.data(), spec.data());
    return spec;
  };
  const std::vector<Complex> before = transform(PlanEffort::kEstimate);
  const std::vector<Complex> measured = transform(PlanEffort::kMeasure);
  const std::vector<Complex> after = transform(PlanEffort::kEstimate);
  EXPECT_TRUE(before == after);
  for (int k = 0; k < static_cast<int>(before.size()); ++k)
    ASSERT_NEAR(std::abs(measured[k] - before[k]), 0.0, 1e-10);
}

TEST(Spectral, ParsevalForTheUnnormalisedForward) {
  const int n = 16;
  Spectral fft(n);
  const Field f = test::random_field(n, 0.3, 0.2, 11);
  AlignedBuffer<Complex> spec(fft.spectral_size());
  fft.forward(f.data(), spec.data());
  const int half = n / 2 + 1;
  double spectral_sum = 0.0;
  for (int iy = 0; iy < n; ++iy)
    for (int ix = 0; ix < half; ++ix)
      spectral_sum += (ix == 0 || ix == n / 2 ? 1.0 : 2.0) * std::norm(spec[iy * half + ix]);
  EXPECT_NEAR(spectral_sum / (n * n), f.square().sum(), 1e-10);
}

TEST(Spectral, RejectsDegenerateGrid) {
  EXPECT_THROW(Spectral(1), Error);
  EXPECT_THROW(Spectral(-4), Error);
}

TEST(AlignedBuffer, IsZeroedAlignedAndMovable) {
  AlignedBuffer<double> a(37);
  EXPECT_EQ(a.size(), 37u);
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(a.data()) % 16, 0u);
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i], 0.0);
  a[3] = 2.5;
  AlignedBuffer<double> b(std::move(a));
  EXPECT_EQ(b[3], 2.5);
  EXPECT_EQ(a.data(), nullptr);
  EXPECT_EQ(a.size(), 0u);
  AlignedBuffer<double> c;
  c = std::move(b);
  EXPECT_EQ(c[3], 2.5);
  EXPECT_EQ(c.size(), 37u);
}

}  // namespace
}  // namespace csd::physics
