# Synthesis candidate filter: candidate x input evaluations per second on the
# CPU (1 and 2 threads) and, when a GPU answers, CUDA (both layouts). LLVM-free.
# See bench/results/synth-filter.md.
neuropt_add_benchmark(SynthFilterBM
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/SynthFilterBM.cpp
  LIBS NeuroptModel)
# RandomPrograms.h generates the candidates, as in the unit tests.
target_include_directories(SynthFilterBM PRIVATE
  ${PROJECT_SOURCE_DIR}/test/unit/Kernels)
