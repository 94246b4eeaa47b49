#===- NeuroptCUDA.cmake - Optional CUDA toolkit detection -----------------===#
#
# Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
#
# NEUROPT_ENABLE_CUDA=AUTO builds kernels/cuda when a CUDA toolkit (nvcc and
# cuBLAS) is found; ON requires it; OFF never uses it. Sets NEUROPT_HAVE_CUDA.
#===----------------------------------------------------------------------===#
set(NEUROPT_HAVE_CUDA OFF)
if(NOT NEUROPT_ENABLE_CUDA STREQUAL "OFF")
  if(NOT CMAKE_CUDA_COMPILER AND EXISTS /usr/local/cuda/bin/nvcc)
    set(CMAKE_CUDA_COMPILER /usr/local/cuda/bin/nvcc)
  endif()
  find_package(CUDAToolkit QUIET)
  include(CheckLanguage)
  check_language(CUDA)
  if(CUDAToolkit_FOUND AND CMAKE_CUDA_COMPILER AND TARGET CUDA::cublas)
    # Hopper (H100/H200) is the lent GPU; sm_80 keeps Ampere working. This
    # must be cached before enable_language: afterwards CMake has filled in
    # nvcc's own default (sm_52 up to CUDA 12, sm_75 in CUDA 13), which runs
    # on Hopper only through the driver's JIT of PTX. A value given on the
    # command line wins.
    set(CMAKE_CUDA_ARCHITECTURES "80;90" CACHE STRING "CUDA architectures for kernels/cuda")
    enable_language(CUDA)
    set(NEUROPT_HAVE_CUDA ON)
    message(STATUS "neuropt: CUDA ${CUDAToolkit_VERSION} found, building kernels/cuda")
  elseif(NEUROPT_ENABLE_CUDA STREQUAL "ON")
    message(FATAL_ERROR "neuropt: NEUROPT_ENABLE_CUDA=ON but no CUDA toolkit with nvcc and cuBLAS was found")
  else()
    message(STATUS "neuropt: no CUDA toolkit found, using the CPU backend only")
  endif()
else()
  message(STATUS "neuropt: CUDA disabled (NEUROPT_ENABLE_CUDA=OFF)")
endif()
