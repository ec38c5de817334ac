/* Mend loader; see README "Embedding". */
(()=>{if(window.Mend)return;
let D=document,s=D.currentScript,d=s.dataset,o=new URL(s.src).origin,
t=d.label||"Report a problem",h=D.createElement("mend-widget"),r=h.attachShadow({mode:"open"}),b=r.appendChild(D.createElement("button")),
c=new CSSStyleSheet,f,q=[],l={},
fire=(n,x)=>l[n]?.map(cb=>cb(x)),
send=m=>(m.mend=1)&&q?q.push(m):f.contentWindow.postMessage(m,o),
identify=jwt=>send({type:"identify",jwt}),
load=()=>f||=r.appendChild(Object.assign(D.createElement("iframe"),{title:t,hidden:1,
 src:`${o}/w/${d.workspace}?`+new URLSearchParams({order:d.orderId??"",locale:d.locale??"",theme:d.theme??"",host:location.origin})})),
show=(v,i=r.activeElement==f)=>f?.hidden==v&&(f.hidden=!v,b.ariaExpanded=v,fire(v?"open":"close"),v?f.focus():i&&b.focus()),
open=()=>(show(!!load()),d.identity&&Promise.resolve(window[d.identity]()).then(identify)),
close=()=>show(!1),
mount=()=>D.body?D.body.append(h):addEventListener("DOMContentLoaded",mount);
c.replaceSync(`*{position:fixed;bottom:20px;${d.position=="left"?"left":"right"}:20px;z-index:2147483647;border:0;border-radius:12px}
button{font:600 16px system-ui;padding:12px 18px;color:#fff;background:${d.color||"#1d4ed8"}}
iframe{bottom:80px;width:380px;height:min(600px,100dvh - 100px);box-shadow:0 8px 32px #0005}
@media(max-width:480px){iframe{inset:0;width:100%;height:100dvh;border-radius:0}[aria-expanded=true]{display:none}}`);
r.adoptedStyleSheets=[c];
b.append(t);
b.dataset.testid="mend-launcher";
b.ariaExpanded=!1;
b.onclick=()=>f?.hidden==!1?close():open();
b.onpointerenter=b.onfocus=load;
addEventListener("message",({source,origin,data:m})=>source===f?.contentWindow&&origin===o&&m?.mend===1&&(
 m.type=="ready"?q?.map(send,q=null):m.type=="close"?close():fire(m.type,{ticket:m.ticket})));
window.Mend={open,close,identify,on:(n,cb)=>(l[n]||=[]).push(cb),
 report:({orderId,summary}={})=>(send({type:"report",orderId,summary}),open()),
 setContext:({orderId}={})=>send({type:"context",orderId})};
mount()
})();
