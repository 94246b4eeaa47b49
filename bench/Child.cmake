# What a candidate in a child process costs (bench/ChildBM.cpp).
if(NOT NEUROPT_ENABLE_LLVM)
  return()
endif()
neuropt_add_benchmark(ChildBM SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/ChildBM.cpp
                      LIBS NeuroptSupport LLVM)
