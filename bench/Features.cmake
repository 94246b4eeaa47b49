# Featurization throughput against the -Oz pipeline on the same modules.
if(NEUROPT_ENABLE_LLVM)
  neuropt_add_benchmark(FeaturesBM
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/FeaturesBM.cpp
    LIBS NeuroptIR LLVM)
endif()
