# gvn-sink on a fresh copy (PipelineEvaluator) against LLVM's in place.
if(NEUROPT_ENABLE_LLVM)
  neuropt_add_benchmark(GVNSinkBM
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/GVNSinkBM.cpp
    LIBS NeuroptSearch LLVM)
endif()
