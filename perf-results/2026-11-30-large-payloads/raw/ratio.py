import os,json,sys,statistics,math
def load(f):
    d={}
    for b in json.load(open(f)):
        name=b['benchmark'].split('.')[-2]+'.'+b['benchmark'].split('.')[-1]
        p=b.get('params') or {}
        if p: name+=' ('+', '.join(f'{k}={v}' for k,v in p.items())+')'
        d[name]=(b['primaryMetric']['score'], b.get('secondaryMetrics',{}).get('gc.alloc.rate.norm',{}).get('score'))
    return d
pairs=[p.split(':') for p in sys.argv[1:]]
data={}
for b,a in pairs:
    data[b]=load(os.path.join(os.path.dirname(os.path.abspath(__file__)), b + '.json')); data[a]=load(os.path.join(os.path.dirname(os.path.abspath(__file__)), a + '.json'))
names=[n for n in data[pairs[0][0]]]
def m(x): return f'{x/1e6:.2f} M' if x>=1e5 else f'{x/1e3:.0f} k'
print('| benchmark | '+' | '.join(f'{a} / {b}' for b,a in pairs)+' | median ratio | geometric mean | B/op before (median) | B/op after (median) |')
print('|---|'+'---|'*(len(pairs)+4))
for n in names:
    rs=[];cells=[];ab=[];aa=[]
    for b,a in pairs:
        if n in data[b] and n in data[a]:
            r=data[a][n][0]/data[b][n][0]; rs.append(r)
            cells.append(f'{m(data[a][n][0])} / {m(data[b][n][0])} = {r:.2f}')
            ab.append(data[b][n][1]); aa.append(data[a][n][1])
        else: cells.append('—')
    gm=math.exp(sum(math.log(r) for r in rs)/len(rs))
    print(f'| {n} | '+' | '.join(cells)+f' | {statistics.median(rs):.2f} | {gm:.2f} | {statistics.median(ab):.3f} | {statistics.median(aa):.3f} |')
