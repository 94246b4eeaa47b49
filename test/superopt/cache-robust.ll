; A broken cache never stops compilation. A corrupt SQLite file is set aside
; with a warning and replaced by an empty cache, and the pass still
; synthesizes and applies; an unreachable Redis server is a warning, and
; the pass continues without a cache. So does a missing SQLite or hiredis
; library, which the cache loads only when it opens one.
; RUN: rm -f %t.sqlite %t.sqlite.corrupt-*
; RUN: echo 'this is not an SQLite database, it only has the right name' > %t.sqlite
; RUN: %opt -passes=neuropt-superopt -neuropt-superopt-mode=synthesize -neuropt-cache=%t.sqlite \
; RUN:   -neuropt-superopt-budget-ms=3000 -S %s 2>%t.err | FileCheck %s --check-prefix=NEW
; RUN: FileCheck %s --check-prefix=CORRUPT < %t.err
; RUN: ls %t.sqlite.corrupt-1
; The fresh cache now holds the result: cache mode applies it.
; RUN: %opt -passes=neuropt-superopt -neuropt-cache=%t.sqlite -S %s | FileCheck %s --check-prefix=NEW
; CORRUPT: neuropt: warning: synthesis cache '{{.*}}.sqlite' is unusable ({{.*}}); moved it to '{{.*}}.sqlite.corrupt-1' and started an empty cache
;
; RUN: %opt -passes=neuropt-superopt -neuropt-cache=redis://127.0.0.1:1 -S %s 2>%t.redis | FileCheck %s --check-prefix=OLD
; RUN: FileCheck %s --check-prefix=REDIS < %t.redis
; REDIS: neuropt-superopt: warning: cannot use the cache 'redis://127.0.0.1:1': {{.*}}; continuing without it
; A cache spec that makes no sense is reported the same way.
; RUN: %opt -passes=neuropt-superopt -neuropt-cache=ftp://x -S %s 2>%t.spec | FileCheck %s --check-prefix=OLD
; RUN: FileCheck %s --check-prefix=SPEC < %t.spec
; SPEC: neuropt-superopt: warning: cannot use the cache 'ftp://x': unknown cache URL scheme
;
; RUN: env NEUROPT_SQLITE_LIBRARY=libneuropt-no-such-sqlite.so %opt -passes=neuropt-superopt \
; RUN:   -neuropt-cache=%t.sqlite -S %s 2>%t.nolib | FileCheck %s --check-prefix=OLD
; RUN: FileCheck %s --check-prefix=NOSQLITE < %t.nolib
; NOSQLITE: neuropt-superopt: warning: cannot use the cache '{{.*}}.sqlite': cannot load the library 'libneuropt-no-such-sqlite.so': {{.*}}; continuing without it
; A library that is not SQLite (libc has none of its functions).
; RUN: env NEUROPT_SQLITE_LIBRARY=libc.so.6 %opt -passes=neuropt-superopt \
; RUN:   -neuropt-cache=%t.sqlite -S %s 2>%t.notsqlite | FileCheck %s --check-prefix=OLD
; RUN: FileCheck %s --check-prefix=NOTSQLITE < %t.notsqlite
; NOTSQLITE: warning: cannot use the cache '{{.*}}.sqlite': the SQLite library 'libc.so.6' lacks sqlite3_bind_int64, sqlite3_bind_text,
; RUN: env NEUROPT_HIREDIS_LIBRARY=libneuropt-no-such-hiredis.so %opt -passes=neuropt-superopt \
; RUN:   -neuropt-cache=redis://127.0.0.1:1 -S %s 2>%t.nohiredis | FileCheck %s --check-prefix=OLD
; RUN: FileCheck %s --check-prefix=NOHIREDIS < %t.nohiredis
; NOHIREDIS: warning: cannot use the cache 'redis://127.0.0.1:1': {{cannot use the Redis cache at 127.0.0.1:1: cannot load the library 'libneuropt-no-such-hiredis.so'|.*built without Redis support}}

; NEW-LABEL: @f(
; NEW-NEXT: [[R:%.*]] = xor i32 {{%x, %y|%y, %x}}
; NEW-NEXT: ret i32 [[R]]
; OLD-LABEL: @f(
; OLD-NEXT: %s = add i32 %x, %y

define i32 @f(i32 %x, i32 %y) {
  %s = add i32 %x, %y
  %a = and i32 %x, %y
  %t = shl i32 %a, 1
  %r = sub i32 %s, %t
  ret i32 %r
}
