//===- DiffExec.cpp - Differential execution under ORC LLJIT ----*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements createDiffExecVerifier(). Both functions are JIT
// compiled in a forked child, which runs them on edge-case inputs (0, +-1,
// the extremes of each width, powers of two) and seeded random ones, and
// streams results back through a pipe. The parent kills the child at the
// time limit, so a crash or a hang in the code under test cannot take the
// host down.
//
// Only code that stays within the module runs: a function that may call
// something outside it (a declaration, through a pointer, inline assembly)
// is not run, since its arguments are made up and such a call could act on
// the host's files or processes.
//
// Execution cannot see poison, so a mismatch only becomes a refutation once
// the SMT encoding confirms it on that concrete input (the source might have
// been poison or UB there). Agreement is never a proof.
//
//===----------------------------------------------------------------------===//

#include "Internal.h"
#include "neuropt/Support/ChildProcess.h"
#include "neuropt/Verify/Verifier.h"

#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/Bitcode/BitcodeReader.h"
#include "llvm/Bitcode/BitcodeWriter.h"
#include "llvm/ExecutionEngine/Orc/LLJIT.h"
#include "llvm/ExecutionEngine/Orc/ThreadSafeModule.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"

#include <csetjmp>
#include <csignal>
#include <cstring>
#include <random>
#include <sys/mman.h>
#include <unistd.h>

using namespace llvm;

namespace neuropt {

namespace {

/// Each pointer argument gets one page of its own between two pages that
/// may not be accessed, and points at the page's middle: an access past
/// either end faults (and is caught) instead of corrupting the child's heap.
size_t bufBytes() {
  static const size_t Page = size_t(sysconf(_SC_PAGESIZE));
  return Page;
}

enum class Kind { Int, Ptr, Float, Double };

struct ArgShape {
  Kind K;
  unsigned Bits;
};

class DiffExecVerifier final : public Verifier {
public:
  VerifyResult verify(const Function &Src, const Function &Tgt,
                      const VerifyOptions &Opts) override;
};

std::string shapeOf(Type *T, ArgShape &S) {
  if (auto *IT = dyn_cast<IntegerType>(T)) {
    if (IT->getBitWidth() > 64)
      return "integer wider than 64 bits";
    S = {Kind::Int, IT->getBitWidth()};
    return "";
  }
  if (T->isPointerTy() && T->getPointerAddressSpace() == 0) {
    S = {Kind::Ptr, 64};
    return "";
  }
  if (T->isFloatTy()) {
    S = {Kind::Float, 32};
    return "";
  }
  if (T->isDoubleTy()) {
    S = {Kind::Double, 64};
    return "";
  }
  return "argument or return type";
}

uint64_t mask(uint64_t V, unsigned Bits) {
  return Bits >= 64 ? V : V & ((1ULL << Bits) - 1);
}

/// Edge cases for one argument: 0, +-1, extremes and powers of two.
std::vector<uint64_t> edgeValues(const ArgShape &S) {
  std::vector<uint64_t> V;
  if (S.K == Kind::Ptr)
    return {0};
  if (S.K == Kind::Float) {
    float Fs[] = {0.0f, -0.0f, 1.0f, -1.0f, 0.5f, 3.0f, 1e30f, -1e-30f,
                  __builtin_inff(), -__builtin_inff(), __builtin_nanf("")};
    for (float F : Fs) {
      uint32_t B;
      memcpy(&B, &F, 4);
      V.push_back(B);
    }
    return V;
  }
  if (S.K == Kind::Double) {
    double Ds[] = {0.0, -0.0, 1.0, -1.0, 0.5, 3.0, 1e300, -1e-300,
                   __builtin_inf(), -__builtin_inf(), __builtin_nan("")};
    for (double D : Ds) {
      uint64_t B;
      memcpy(&B, &D, 8);
      V.push_back(B);
    }
    return V;
  }
  unsigned W = S.Bits;
  auto add = [&](uint64_t X) {
    X = mask(X, W);
    if (std::find(V.begin(), V.end(), X) == V.end())
      V.push_back(X);
  };
  add(0), add(1), add(~0ULL), add(2);
  uint64_t SMin = W == 64 ? 1ULL << 63 : 1ULL << (W - 1);
  add(SMin), add(SMin - 1), add(SMin + 1), add(~0ULL - 1);
  for (unsigned K = 2; K < W && K < 64; K += (W > 16 ? 5 : 1))
    add(1ULL << K);
  add(W), add(W - 1), add(W + 1);
  return V;
}

struct Outcome {
  uint64_t Ret = 0;
  int Signal = 0;
  std::vector<std::vector<uint8_t>> Bufs;
};

using WrapFn = void (*)(uint64_t *, uint64_t *);

thread_local sigjmp_buf *JumpTarget = nullptr;
thread_local volatile int CaughtSignal = 0;

void onSignal(int Sig) {
  CaughtSignal = Sig;
  if (JumpTarget)
    siglongjmp(*JumpTarget, 1);
  _exit(100);
}

/// Adds `void __neuropt_wrap(ptr args, ptr ret)` that unpacks 64-bit slots,
/// calls Name and stores the result zero-extended, so the host never needs
/// the callee's calling convention.
Error addWrapper(Module &M, StringRef Name) {
  Function *F = M.getFunction(Name);
  if (!F)
    return createStringError(inconvertibleErrorCode(), "no function @" + Name);
  LLVMContext &Ctx = M.getContext();
  Type *I64 = Type::getInt64Ty(Ctx);
  PointerType *Ptr = PointerType::getUnqual(Ctx);
  Function *W = Function::Create(
      FunctionType::get(Type::getVoidTy(Ctx), {Ptr, Ptr}, false),
      GlobalValue::ExternalLinkage, "__neuropt_wrap", M);
  IRBuilder<> B(BasicBlock::Create(Ctx, "entry", W));
  std::vector<Value *> Args;
  for (Argument &A : F->args()) {
    Value *Slot = B.CreateConstGEP1_64(I64, W->getArg(0), A.getArgNo());
    Type *T = A.getType();
    if (T->isPointerTy()) {
      Args.push_back(B.CreateLoad(Ptr, Slot));
    } else if (T->isIntegerTy()) {
      Args.push_back(B.CreateTrunc(B.CreateLoad(I64, Slot), T));
    } else {
      Type *IT = B.getIntNTy(T->getPrimitiveSizeInBits());
      Args.push_back(B.CreateBitCast(B.CreateTrunc(B.CreateLoad(I64, Slot), IT), T));
    }
  }
  // Call through a cast-free direct call; the callee keeps its own linkage.
  F->setLinkage(GlobalValue::ExternalLinkage);
  CallInst *Call = B.CreateCall(F, Args);
  Type *RT = F->getReturnType();
  if (!RT->isVoidTy()) {
    Value *R = Call;
    if (RT->isFloatingPointTy())
      R = B.CreateBitCast(R, B.getIntNTy(RT->getPrimitiveSizeInBits()));
    R = B.CreateZExt(R, I64);
    B.CreateStore(R, W->getArg(1));
  }
  B.CreateRetVoid();
  return Error::success();
}

Expected<WrapFn> jitWrapper(orc::LLJIT &J, const Function &F, StringRef DylibName) {
  // Copy the function's module into a fresh context through bitcode.
  SmallVector<char, 0> BC;
  raw_svector_ostream OS(BC);
  WriteBitcodeToFile(*F.getParent(), OS);
  auto Ctx = std::make_unique<LLVMContext>();
  auto MOrErr = parseBitcodeFile(MemoryBufferRef(StringRef(BC.data(), BC.size()), "m"), *Ctx);
  if (!MOrErr)
    return MOrErr.takeError();
  std::unique_ptr<Module> M = std::move(*MOrErr);
  if (Error E = addWrapper(*M, F.getName()))
    return E;
  auto JD = J.createJITDylib(DylibName.str());
  if (!JD)
    return JD.takeError();
  JD->addToLinkOrder(J.getMainJITDylib());
  if (Error E = J.addIRModule(*JD, orc::ThreadSafeModule(std::move(M), std::move(Ctx))))
    return E;
  auto Addr = J.lookup(*JD, "__neuropt_wrap");
  if (!Addr)
    return Addr.takeError();
  return Addr->toPtr<WrapFn>();
}

/// The child's guarded pages (see bufBytes), made on first use and kept.
std::vector<uint8_t *> GuardedPages;

/// The \p N-th guarded page, or null if it cannot be mapped.
uint8_t *guardedPage(unsigned N) {
  size_t Page = bufBytes();
  while (GuardedPages.size() <= N) {
    void *M =
        mmap(nullptr, 3 * Page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (M == MAP_FAILED)
      return nullptr;
    uint8_t *Mid = static_cast<uint8_t *>(M) + Page;
    if (mprotect(Mid, Page, PROT_READ | PROT_WRITE) != 0)
      return nullptr;
    GuardedPages.push_back(Mid);
  }
  return GuardedPages[N];
}

/// One run: fresh buffers with deterministic contents. Returns false if
/// the buffers cannot be made.
bool runOnce(WrapFn Fn, const std::vector<ArgShape> &Shapes,
             const std::vector<uint64_t> &In, const std::vector<int> &BufOf,
             uint64_t BufSeed, bool HasRet, Outcome &O) {
  unsigned NBufs = 0;
  for (int B : BufOf)
    NBufs = std::max<unsigned>(NBufs, B + 1);
  std::vector<uint8_t *> Pages;
  std::mt19937_64 R(BufSeed);
  for (unsigned B = 0; B < NBufs; ++B) {
    uint8_t *P = guardedPage(B);
    if (!P)
      return false;
    for (size_t I = 0; I < bufBytes(); ++I)
      P[I] = (uint8_t)R();
    Pages.push_back(P);
  }
  std::vector<uint64_t> Slots(Shapes.size() + 1);
  for (size_t I = 0; I < Shapes.size(); ++I)
    Slots[I] = Shapes[I].K == Kind::Ptr
                   ? (uint64_t)(uintptr_t)(Pages[BufOf[I]] + bufBytes() / 2)
                   : In[I];
  uint64_t Ret = 0;
  sigjmp_buf Env;
  JumpTarget = &Env;
  CaughtSignal = 0;
  if (sigsetjmp(Env, 1) == 0)
    Fn(Slots.data(), &Ret);
  JumpTarget = nullptr;
  O.Signal = CaughtSignal;
  O.Ret = HasRet ? Ret : 0;
  O.Bufs.clear();
  for (uint8_t *P : Pages)
    O.Bufs.emplace_back(P, P + bufBytes());
  return true;
}

/// Child side: writes "T <count>" progress lines and at most one
/// "M <idx> <src-ret> <src-sig> <tgt-ret> <tgt-sig> <args...>" mismatch.
[[noreturn]] void childMain(int Fd, const Function &Src, const Function &Tgt,
                            const std::vector<ArgShape> &Shapes, bool HasRet,
                            const std::vector<std::vector<uint64_t>> &Inputs,
                            const std::vector<std::vector<int>> &Aliasing,
                            uint64_t Seed) {
  auto say = [&](const std::string &S) {
    std::string L = S + "\n";
    (void)!write(Fd, L.data(), L.size());
  };
  InitializeNativeTarget();
  InitializeNativeTargetAsmPrinter();
  auto JOrErr = orc::LLJITBuilder().create();
  if (!JOrErr) {
    say("E " + toString(JOrErr.takeError()));
    _exit(0);
  }
  auto &J = **JOrErr;
  auto SrcFn = jitWrapper(J, Src, "src");
  auto TgtFn = SrcFn ? jitWrapper(J, Tgt, "tgt") : Expected<WrapFn>(nullptr);
  if (!SrcFn || !TgtFn) {
    std::string Msg = !SrcFn ? toString(SrcFn.takeError()) : toString(TgtFn.takeError());
    for (char &Ch : Msg)
      if (Ch == '\n')
        Ch = ' ';
    say("E jit: " + Msg);
    _exit(0);
  }
  struct sigaction SA;
  memset(&SA, 0, sizeof(SA));
  SA.sa_handler = onSignal;
  SA.sa_flags = SA_NODEFER;
  for (int Sig : {SIGFPE, SIGSEGV, SIGBUS, SIGILL, SIGTRAP})
    sigaction(Sig, &SA, nullptr);
  unsigned Tested = 0, Reported = 0;
  for (size_t I = 0; I < Inputs.size(); ++I) {
    for (auto &BufOf : Aliasing) {
      uint64_t BufSeed = Seed ^ (I * 0x9e3779b97f4a7c15ULL);
      Outcome A, B;
      if (!runOnce(*SrcFn, Shapes, Inputs[I], BufOf, BufSeed, HasRet, A)) {
        say("E cannot map the pointer arguments' pages");
        _exit(0);
      }
      if (A.Signal) // the source faulted: UB, anything goes
        continue;
      runOnce(*TgtFn, Shapes, Inputs[I], BufOf, BufSeed, HasRet, B);
      ++Tested;
      bool Same = !B.Signal && A.Ret == B.Ret && A.Bufs == B.Bufs;
      if (!Same && Reported < 8) {
        ++Reported;
        say("M " + std::to_string(I) + " " + std::to_string(A.Ret) + " " +
            std::to_string(B.Ret) + " " + std::to_string(B.Signal));
      }
    }
    if (I % 16 == 15 || I + 1 == Inputs.size())
      say("T " + std::to_string(Tested));
  }
  say("D " + std::to_string(Tested));
  _exit(0);
}

/// Why running \p F could act outside the child's memory, or "": the
/// functions it reaches through direct calls may call only each other and
/// intrinsics. The child runs real code on made-up arguments; a call of a
/// function outside the module (resolved in the host process: fopen,
/// remove, kill, ...) or through a pointer could create or delete files or
/// signal other processes.
std::string outsideCallReason(const Function &F) {
  SmallPtrSet<const Function *, 16> Seen;
  SmallVector<const Function *, 16> Work{&F};
  Seen.insert(&F);
  while (!Work.empty()) {
    const Function *G = Work.pop_back_val();
    for (const Instruction &I : instructions(*G)) {
      auto *CB = dyn_cast<CallBase>(&I);
      if (!CB || isa<IntrinsicInst>(CB))
        continue;
      const Function *Callee = CB->getCalledFunction();
      if (!Callee)
        return CB->isInlineAsm() ? "inline assembly" : "indirect call";
      if (Callee->isDeclaration())
        return ("call of @" + Callee->getName() + ", outside the module").str();
      if (Seen.insert(Callee).second)
        Work.push_back(Callee);
    }
  }
  return "";
}

} // namespace

VerifyResult DiffExecVerifier::verify(const Function &Src, const Function &Tgt,
                                      const VerifyOptions &Opts) {
  VerifyResult R;
  R.Engine = "diffexec";
  if (std::string Why = checkSignatures(Src, Tgt); !Why.empty()) {
    R.Reason = "signature mismatch: " + Why;
    return R;
  }
  if (Src.isDeclaration() || Tgt.isDeclaration()) {
    R.Reason = "unsupported: declaration";
    return R;
  }
  for (const Function *F : {&Src, &Tgt})
    if (std::string Why = outsideCallReason(*F); !Why.empty()) {
      R.Reason = "unsupported: " + Why;
      return R;
    }
  std::vector<ArgShape> Shapes;
  bool HasPtr = false;
  for (const Argument &A : Src.args()) {
    ArgShape S{Kind::Int, 0};
    if (std::string Why = shapeOf(A.getType(), S); !Why.empty()) {
      R.Reason = "unsupported: " + Why;
      return R;
    }
    HasPtr |= S.K == Kind::Ptr;
    Shapes.push_back(S);
  }
  Type *RT = Src.getReturnType();
  bool HasRet = !RT->isVoidTy();
  if (HasRet) {
    ArgShape S{Kind::Int, 0};
    if (std::string Why = shapeOf(RT, S); !Why.empty() || S.K == Kind::Ptr) {
      R.Reason = "unsupported: return type";
      return R;
    }
  }

  // Inputs: edge-case products (capped), then seeded random vectors.
  std::vector<std::vector<uint64_t>> Inputs;
  std::vector<std::vector<uint64_t>> Edges;
  for (auto &S : Shapes)
    Edges.push_back(edgeValues(S));
  size_t Product = 1;
  for (auto &E : Edges)
    Product = std::min<size_t>(Product * E.size(), 1u << 20);
  std::mt19937_64 Rng(Opts.Seed);
  if (Product <= 1024) {
    std::vector<size_t> Idx(Shapes.size(), 0);
    for (size_t N = 0; N < Product; ++N) {
      std::vector<uint64_t> In;
      for (size_t A = 0; A < Shapes.size(); ++A)
        In.push_back(Edges[A][Idx[A]]);
      Inputs.push_back(In);
      for (size_t A = 0; A < Shapes.size(); ++A) {
        if (++Idx[A] < Edges[A].size())
          break;
        Idx[A] = 0;
      }
    }
  } else {
    for (size_t N = 0; N < 1024; ++N) {
      std::vector<uint64_t> In;
      for (size_t A = 0; A < Shapes.size(); ++A)
        In.push_back(Edges[A][Rng() % Edges[A].size()]);
      Inputs.push_back(In);
    }
  }
  for (unsigned N = 0; N < Opts.RandomInputs; ++N) {
    std::vector<uint64_t> In;
    for (auto &S : Shapes) {
      uint64_t V = Rng();
      if (S.K == Kind::Int) {
        // Small magnitudes hit interesting paths more often than full-width
        // noise does.
        unsigned Mode = Rng() % 4;
        if (Mode == 1)
          V = V % 17;
        else if (Mode == 2)
          V = -(V % 17);
        V = mask(V, S.Bits);
      } else if (S.K == Kind::Float) {
        float F = (float)((int64_t)(V % 2001) - 1000) / 8.0f;
        uint32_t B;
        memcpy(&B, &F, 4);
        V = B;
      } else if (S.K == Kind::Double) {
        double D = (double)((int64_t)(V % 2001) - 1000) / 8.0;
        memcpy(&V, &D, 8);
      }
      In.push_back(V);
    }
    Inputs.push_back(In);
  }
  // Pointer arguments: distinct buffers, and (when there are several) all
  // in one buffer so that aliasing bugs show.
  std::vector<std::vector<int>> Aliasing;
  {
    std::vector<int> Distinct, Same;
    int Next = 0;
    unsigned NPtr = 0;
    for (auto &S : Shapes) {
      Distinct.push_back(S.K == Kind::Ptr ? Next++ : 0);
      Same.push_back(0);
      NPtr += S.K == Kind::Ptr;
    }
    Aliasing.push_back(Distinct);
    if (NPtr > 1)
      Aliasing.push_back(Same);
  }

  llvm::Expected<ChildOutcome> Child = runInChild(
      [&](int Fd) {
        childMain(Fd, Src, Tgt, Shapes, HasRet, Inputs, Aliasing, Opts.Seed);
      },
      Opts.ExecTimeoutMs);
  if (!Child) {
    R.Reason = toString(Child.takeError());
    return R;
  }
  // On a timeout, the lines written so far still count.
  bool TimedOut = Child->TimedOut;
  const std::string &Buf = Child->Output;

  unsigned Tested = 0;
  bool Done = false; // the child wrote its last line
  std::vector<std::string> Mismatches;
  std::string Error;
  StringRef Rest(Buf);
  while (!Rest.empty()) {
    auto [Line, Tail] = Rest.split('\n');
    Rest = Tail;
    Done |= Line.starts_with("D ");
    if (Line.starts_with("T ") || Line.starts_with("D "))
      Line.drop_front(2).getAsInteger(10, Tested);
    else if (Line.starts_with("M "))
      Mismatches.push_back(Line.drop_front(2).str());
    else if (Line.starts_with("E "))
      Error = Line.drop_front(2).str();
  }
  if (!Error.empty()) {
    R.Reason = "unsupported: " + Error;
    return R;
  }

  // Confirm mismatches: the source may have been poison or UB there.
  for (auto &M : Mismatches) {
    SmallVector<StringRef, 8> F;
    StringRef(M).split(F, ' ');
    size_t Idx = 0;
    uint64_t SRet = 0, TRet = 0;
    int TSig = 0;
    if (F.size() < 4)
      continue;
    F[0].getAsInteger(10, Idx);
    F[1].getAsInteger(10, SRet);
    F[2].getAsInteger(10, TRet);
    F[3].getAsInteger(10, TSig);
    if (HasPtr) {
      // Buffer contents are not part of the SMT inputs: no confirmation.
      continue;
    }
    VerifyOptions CO = Opts;
    CO.WantCertificate = false;
    VerifyResult C = verify::checkConcreteInput(Src, Tgt, Inputs[Idx], CO);
    if (C.V != Verdict::Refuted)
      continue;
    R.V = Verdict::Refuted;
    R.CEX = C.CEX;
    if (R.CEX) {
      std::string Obs = "executed: src returned " + std::to_string(SRet) + ", tgt " +
                        (TSig ? "faulted (signal " + std::to_string(TSig) + ")"
                              : "returned " + std::to_string(TRet));
      R.CEX->Note = R.CEX->Note.empty() ? Obs : Obs + "; " + R.CEX->Note;
    }
    return R;
  }
  R.Reason = "tested " + std::to_string(Tested) + " inputs";
  if (!Mismatches.empty())
    R.Reason += ", " + std::to_string(Mismatches.size()) + " unconfirmed mismatches";
  if (TimedOut)
    R.Reason += ", stopped at the time limit";
  else if (!Done)
    // Progress is written every 16 inputs, so the count may be short.
    R.Reason += ", then the run ended (" + Child->describeEnd() + ")";
  return R;
}

std::unique_ptr<Verifier> createDiffExecVerifier() {
  return std::make_unique<DiffExecVerifier>();
}

} // namespace neuropt
