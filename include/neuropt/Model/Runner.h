//===- Runner.h - The one interface passes use to run a model ---*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// ModelRunner hides the backend, in the way of LLVM's MLModelRunner: typed
// inputs, one evaluate() call, and three implementations:
//   * the CPU runner (integer path, kernels/cpu);
//   * the CUDA runner (integer path on cuBLAS int8 GEMM, kernels/cuda),
//     created through a CUDA-free factory that reports an error when the
//     build has no CUDA or the machine has no GPU;
//   * the no-op runner, used when weights are missing or unusable: it says
//     why, and the pass falls back to the stock heuristic;
//   * a logging wrapper around any runner and a replay runner that answers
//     from such a log (debugging, training-data collection).
// Both real runners return the same int32 scores, bit for bit.
//
//===----------------------------------------------------------------------===//

#ifndef NEUROPT_MODEL_RUNNER_H
#define NEUROPT_MODEL_RUNNER_H

#include "neuropt/Model/ModelCard.h"
#include "neuropt/Model/Quantize.h"
#include "neuropt/Model/Status.h"

#include <memory>
#include <string>
#include <vector>

namespace neuropt {
namespace model {

/// Where a model runs (-neuropt-device=auto|cpu|cuda).
enum class Device { Auto, CPU, CUDA };
const char *deviceName(Device D);
/// Parses "auto", "cpu" or "cuda".
StatusOr<Device> parseDevice(const std::string &S);

/// The scores of one evaluate(): exact int32 values [Batch, NumOutputs]; a
/// unit is worth Scale. Decisions use Raw, so they are backend-independent.
struct Scores {
  size_t Batch = 0;
  unsigned NumOutputs = 0;
  std::vector<int32_t> Raw;
  float Scale = 1;

  int32_t raw(size_t B, unsigned K = 0) const { return Raw[B * NumOutputs + K]; }
  float value(size_t B, unsigned K = 0) const { return float(raw(B, K)) * Scale; }
  /// The best class of sample \p B; ties go to the lowest index.
  unsigned argmax(size_t B) const;
  /// Sample indices by descending output \p K; ties in stable index order.
  std::vector<size_t> ranking(unsigned K = 0) const;
};

/// A model behind a backend. One runner serves one thread at a time (the
/// CUDA runner reuses its device buffers between calls).
class ModelRunner {
public:
  virtual ~ModelRunner() = default;
  /// "cpu", "cuda" or "noop".
  virtual const char *backendName() const = 0;
  /// False for the no-op runner: callers use their stock heuristic.
  virtual bool isUsable() const { return true; }
  /// Why the runner is a no-op (empty otherwise).
  virtual std::string reason() const { return std::string(); }
  /// The architecture of the model behind the runner (null for no-op and
  /// replay runners).
  virtual const ModelConfig *config() const { return nullptr; }
  /// Scores a batch. Inputs are validated; bad input is an error.
  virtual StatusOr<Scores> evaluate(const ModelInput &In) = 0;
};

/// The CPU runner for \p Q.
std::unique_ptr<ModelRunner> createCPURunner(std::shared_ptr<const QuantModel> Q);
/// The CUDA runner; an error when CUDA is not built in or no GPU is usable.
StatusOr<std::unique_ptr<ModelRunner>>
createCUDARunner(std::shared_ptr<const QuantModel> Q);
/// A runner that never scores; evaluate() returns an error with \p Reason.
std::unique_ptr<ModelRunner> createNoOpRunner(std::string Reason);

/// Wraps \p Inner: every successful evaluate() also appends one JSON line to
/// \p LogPath with the input (statistics vectors or graphs), its hash and
/// the scores. The log feeds training-data collection and the replay
/// runner. A failed write makes evaluate() fail with the reason.
std::unique_ptr<ModelRunner> createLoggingRunner(std::unique_ptr<ModelRunner> Inner,
                                                 std::string LogPath);

/// A runner that answers from a log written by the logging runner: the
/// scores recorded for the same input (matched by content hash). Inputs the
/// log does not hold are an error. Reading a missing or malformed log is an
/// error naming the file and line.
StatusOr<std::unique_ptr<ModelRunner>> createReplayRunner(const std::string &LogPath);

/// The content hash the logging and replay runners key inputs by;
/// \p NumFeatures is the statistics width (MLP inputs).
std::string hashModelInput(const ModelInput &In, unsigned NumFeatures);

/// Success when this build has CUDA and a GPU answers; otherwise an error
/// that says which is missing.
Status cudaAvailability();

/// Picks the backend: Auto takes CUDA when available, else the CPU; CPU is
/// always the CPU; CUDA is an error when CUDA is not available.
StatusOr<std::unique_ptr<ModelRunner>>
createRunner(std::shared_ptr<const QuantModel> Q, Device D);

/// A runner and what happened while making it.
struct RunnerLoad {
  std::unique_ptr<ModelRunner> Runner;
  /// Things the caller should surface as warnings (remarks): load errors
  /// that made it a no-op, or a CUDA request that fell back to the CPU.
  std::vector<std::string> Warnings;
};

/// Loads model \p Name from \p Dir and builds a runner for \p D. Never
/// fails: any load error yields the no-op runner with the error as its
/// reason; an explicit CUDA request without a GPU falls back to the CPU
/// with a warning.
RunnerLoad loadRunner(const std::string &Dir, const std::string &Name,
                      const FeatureManifestId &Expected, Device D);

} // namespace model
} // namespace neuropt

#endif // NEUROPT_MODEL_RUNNER_H
