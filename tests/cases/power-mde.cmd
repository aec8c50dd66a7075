# The difference detectable with n users per arm. R (uniroot, good to about
# 1e-4): power.prop.test(n=1000, p1=0.08, power=0.8)$p2 = 0.117328670332;
# power.t.test(n=500, sd=10, power=0.8)$delta = 1.77360499978.
power props p1=0.08 n=1000
power means sd=10 n=500 daily=200
power props n=1000
power props p1=0.08 n=0
