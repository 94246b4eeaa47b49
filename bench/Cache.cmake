# Synthesis cache: get/put latency and throughput, SQLite and (when
# redis-server is installed) Redis on loopback. See bench/results/cache.md.
if(NEUROPT_ENABLE_LLVM AND TARGET NeuroptCache)
  neuropt_add_benchmark(CacheBM
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/CacheBM.cpp
    LIBS NeuroptCache)
  # LoopbackRedis.h starts the benchmark's private redis-server.
  target_include_directories(CacheBM PRIVATE
    ${PROJECT_SOURCE_DIR}/test/unit/Cache)
endif()
