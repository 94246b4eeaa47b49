# Verifier throughput on the .srctgt.ll suite (bench/VerifyBM.cpp).
if(NOT NEUROPT_ENABLE_LLVM)
  return()
endif()
neuropt_add_benchmark(VerifyBM SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/VerifyBM.cpp
                      LIBS NeuroptVerify LLVM)
target_compile_definitions(VerifyBM PRIVATE
  NEUROPT_VERIFY_SUITE="${PROJECT_SOURCE_DIR}/test/verify")
