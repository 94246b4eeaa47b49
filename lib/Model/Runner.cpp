//===- Runner.cpp - ModelRunner: CPU and no-op runners, device choice -----===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements the backend-independent parts of the runner
// interface: score decisions with stable tie-breaking, the CPU and no-op
// runners, device selection with CPU fallback, and loadRunner().
//
//===----------------------------------------------------------------------===//

#include "neuropt/Model/Runner.h"

#include <algorithm>
#include <numeric>

using namespace neuropt;
using namespace neuropt::model;

const char *neuropt::model::deviceName(Device D) {
  switch (D) {
  case Device::Auto:
    return "auto";
  case Device::CPU:
    return "cpu";
  case Device::CUDA:
    return "cuda";
  }
  return "?";
}

StatusOr<Device> neuropt::model::parseDevice(const std::string &S) {
  for (Device D : {Device::Auto, Device::CPU, Device::CUDA})
    if (S == deviceName(D))
      return D;
  return Status::error("unknown device '" + S +
                       "' (expected auto, cpu or cuda)");
}

unsigned Scores::argmax(size_t B) const {
  unsigned Best = 0;
  for (unsigned K = 1; K < NumOutputs; ++K)
    if (raw(B, K) > raw(B, Best)) // strict: the lowest index wins ties
      Best = K;
  return Best;
}

std::vector<size_t> Scores::ranking(unsigned K) const {
  std::vector<size_t> Order(Batch);
  std::iota(Order.begin(), Order.end(), size_t(0));
  std::stable_sort(Order.begin(), Order.end(), [&](size_t A, size_t B) {
    return raw(A, K) > raw(B, K);
  });
  return Order;
}

namespace {
/// Runs the integer model with kernels/cpu.
class CPURunner final : public ModelRunner {
public:
  explicit CPURunner(std::shared_ptr<const QuantModel> Q) : Q(std::move(Q)) {}
  const char *backendName() const override { return "cpu"; }
  const ModelConfig *config() const override { return &Q->Config; }
  StatusOr<Scores> evaluate(const ModelInput &In) override {
    if (Status S = validateInput(Q->Config, In))
      return S;
    Scores R;
    R.Batch = In.BatchSize;
    R.NumOutputs = Q->Config.NumOutputs;
    R.Scale = Q->ScoreScale;
    if (In.BatchSize)
      R.Raw = runQuantizedCPU(*Q, In);
    return R;
  }

private:
  std::shared_ptr<const QuantModel> Q;
};

/// Stands in when there is no usable model; callers use the stock heuristic.
class NoOpRunner final : public ModelRunner {
public:
  explicit NoOpRunner(std::string Why) : Why(std::move(Why)) {}
  const char *backendName() const override { return "noop"; }
  bool isUsable() const override { return false; }
  std::string reason() const override { return Why; }
  StatusOr<Scores> evaluate(const ModelInput &) override {
    return Status::error("no model: " + Why);
  }

private:
  std::string Why;
};
} // namespace

std::unique_ptr<ModelRunner>
neuropt::model::createCPURunner(std::shared_ptr<const QuantModel> Q) {
  return std::make_unique<CPURunner>(std::move(Q));
}

std::unique_ptr<ModelRunner>
neuropt::model::createNoOpRunner(std::string Reason) {
  return std::make_unique<NoOpRunner>(std::move(Reason));
}

StatusOr<std::unique_ptr<ModelRunner>>
neuropt::model::createRunner(std::shared_ptr<const QuantModel> Q, Device D) {
  if (!Q)
    return Status::error("no model to run");
  if (D == Device::CPU)
    return createCPURunner(std::move(Q));
  StatusOr<std::unique_ptr<ModelRunner>> Cuda = createCUDARunner(Q);
  if (Cuda || D == Device::CUDA)
    return Cuda;
  return createCPURunner(std::move(Q)); // Auto without a usable GPU.
}

RunnerLoad neuropt::model::loadRunner(const std::string &Dir,
                                      const std::string &Name,
                                      const FeatureManifestId &Expected,
                                      Device D) {
  RunnerLoad R;
  StatusOr<ModelBundle> B = loadModel(Dir, Name, &Expected);
  if (!B) {
    R.Warnings.push_back(B.status().message() +
                         "; falling back to the stock heuristic");
    R.Runner = createNoOpRunner(B.status().message());
    return R;
  }
  StatusOr<std::unique_ptr<ModelRunner>> Run = createRunner(B->Quant, D);
  if (!Run) {
    // Only an explicit CUDA request gets here: the scores are identical on
    // the CPU, so fall back rather than lose the model.
    R.Warnings.push_back("-neuropt-device=cuda: " + Run.status().message() +
                         "; running model '" + Name + "' on the CPU");
    R.Runner = createCPURunner(B->Quant);
    return R;
  }
  R.Runner = std::move(*Run);
  return R;
}
