# Synthesis engine: time per problem on fixed LHSs (bench/SynthBM.cpp); the
# corpus-level measurements are `neuropt-synth eval-guide` (see
# bench/results/synth.md).
if(NEUROPT_ENABLE_LLVM AND TARGET NeuroptSynth)
  neuropt_add_benchmark(SynthBM
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/SynthBM.cpp
    LIBS NeuroptSynth LLVM)
endif()
