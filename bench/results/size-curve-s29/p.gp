set terminal pngcairo size 1000,440 font ",10"
set output "../size-curve-s29.png"
set multiplot layout 1,2 title "neuropt-size on 44 held-out modules against the 300-evaluation ceiling (4.91% objective), session 29"
set grid
set key bottom right
set ylabel "share of the ceiling (%)"
set yrange [30:105]
set xlabel "pipelines measured per translation unit (k for the top k)"
set logscale x 2
set xrange [0.8:80]
plot "coreset.dat" using 1:5 with linespoints pt 7 title "top k: geomean share", \
     "coreset.dat" using 1:4 with linespoints pt 6 title "top k: share of bytes", \
     "cache.dat" using 2:6 with points pt 5 ps 1.2 title "tuning build / rebuild with its cache", \
     80 with lines dt 2 lc rgb "red" title "issue target 80%"
unset logscale x
set xlabel "median compile time / clang -Oz (wall, from source)"
set logscale x 2
set xrange [1:20]
set arrow 1 from 2,30 to 2,105 nohead dt 3 lc rgb "gray40"
set label 1 "2x (issue's bound)" at 2.1,33
plot "coreset.dat" using 6:5 with linespoints pt 7 title "top k (k = 1..16): geomean share", \
     "coreset.dat" using 6:5:(sprintf("k=%d",$1)) with labels offset 0,1 notitle, \
     "cache.dat" using 7:6 with points pt 5 ps 1.2 title "tuning build; rebuild with its cache", \
     80 with lines dt 2 lc rgb "red" title "80%"
unset multiplot
