import os,json,sys
def load(f):
    d={}
    for b in json.load(open(f)):
        name=b['benchmark'].split('.')[-2]+'.'+b['benchmark'].split('.')[-1]
        p=b.get('params') or {}
        if p: name+=' ('+', '.join(f'{k}={v}' for k,v in p.items())+')'
        pm=b['primaryMetric']; sm=b.get('secondaryMetrics',{})
        alloc=sm.get('gc.alloc.rate.norm',{}).get('score')
        d[name]=(pm['score'],pm['scoreError'],alloc,sm.get('fullRetries',{}).get('score'))
    return d
runs=sys.argv[1:]
data={r:load(os.path.join(os.path.dirname(os.path.abspath(__file__)), r + '.json')) for r in runs}
names=[]
for r in runs:
    for n in data[r]:
        if n not in names: names.append(n)
def m(x): return f'{x/1e6:.2f} M' if x>=1e5 else f'{x:,.0f}'
print('| benchmark | '+' | '.join(runs)+' |')
print('|---|'+'---|'*len(runs))
for n in names:
    cells=[]
    for r in runs:
        v=data[r].get(n)
        cells.append('—' if v is None else f'{m(v[0])} ± {m(v[1])} ops/s, {v[2]:.3f} B/op')
    print(f'| {n} | '+' | '.join(cells)+' |')
