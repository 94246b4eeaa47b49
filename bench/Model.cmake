# Model runtime: batched scoring (CPU, and CUDA when a GPU is present at run
# time), single-function latency, training throughput, GEMM choices, and the
# cuBLAS-alone GEMM reference.
neuropt_add_benchmark(ModelBM
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/ModelBM.cpp
  LIBS NeuroptModel)
