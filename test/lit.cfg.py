# -*- Python -*-  lit configuration for neuropt.
import os
import lit.formats
from lit.llvm import llvm_config

config.name = "neuropt"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".ll", ".c", ".mlir", ".test"]
config.excludes = ["Inputs", "unit", "CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.neuropt_obj_root, "test")

llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.with_environment("PATH", os.path.join(config.neuropt_obj_root, "bin"), append_path=True)

plugin = os.path.join(config.neuropt_obj_root, "lib", "NeurOpt" + config.shlibext)
config.substitutions.append(("%plugin", plugin))
config.substitutions.append(("%opt", os.path.join(config.llvm_tools_dir, "opt") + " -load-pass-plugin=" + plugin))
config.substitutions.append(("%clang", os.path.join(config.llvm_tools_dir, "clang")))
config.substitutions.append(("%bindir", os.path.join(config.neuropt_obj_root, "bin")))
config.substitutions.append(("%obj_root", config.neuropt_obj_root))
config.substitutions.append(("%srcroot", config.neuropt_src_root))
config.substitutions.append(("%examples", os.path.join(config.neuropt_src_root, "examples")))

if config.neuropt_have_cuda:
    config.available_features.add("cuda")
# Csmith (Debian packages csmith, libcsmith-dev) for test/e2e/csmith-*.test.
import shutil
if shutil.which("csmith") and os.path.exists("/usr/include/csmith/csmith.h"):
    config.available_features.add("csmith")
# Deterministic environment for every test.
config.environment["LC_ALL"] = "C"
