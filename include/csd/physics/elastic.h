#pragma once
/// Cubic elastic kernel of Eq. 5–6 in 2D (plane problem, Green's-function solution of
/// mechanical equilibrium). For a unit direction n = q/|q|,
///   tr B(n) = 2(C11+C12) − (C11+C12)² nᵀ A(n)⁻¹ n,   A_km = C_kmno n_m n_o,
/// which is homogeneous of degree 0 in q; tr B(0) := 0.
/// With the paper's constants tr B⟨10⟩ = 2.25·10⁴ and tr B⟨11⟩ ≈ 5.143·10⁴.
#include <vector>

#include "csd/physics/params.h"

namespace csd::physics {

/// tr B for the direction (nx, ny) (need not be normalised; (0,0) gives 0).
double trace_b(double nx, double ny, const Params& p);

/// min over directions of tr B (Eq. 9), found by a dense angular scan + refinement.
double min_trace_b(const Params& p);

/// tr B on the r2c half-spectrum of an N×N grid: size N × (N/2+1), row-major (ky, kx).
std::vector<double> trace_b_grid(int n, const Params& p);

/// Wave numbers q = 2πk/(N h) in FFT order for index i in [0, N).
double wave_number(int i, int n, double h);

}  // namespace csd::physics
