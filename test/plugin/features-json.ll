; The JSON form is one parseable document with the same vectors.
; RUN: %opt -passes='print<neuropt-features>' -neuropt-features-format=json -neuropt-features-graph -disable-output %S/Inputs/loops.ll 2> %t.json
; RUN: python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert len(d['features'])==88, d; f=[x for x in d['functions'] if x['name']=='sq'][0]; assert f['features'][0]==2; g=f['graph']['csr']; assert len(g['row_ptr'])==f['graph']['nodes']+1 and len(g['col'])==f['graph']['edges']; print('ok', len(d['functions']))" %t.json | FileCheck %s
; CHECK: ok 2
