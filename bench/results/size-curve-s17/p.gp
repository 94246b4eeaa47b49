set terminal pngcairo size 900,420 font ",10"
set output "../size-curve-s17.png"
set multiplot layout 1,2 title "neuropt-size on 45 held-out modules: share of the 300-evaluation ceiling (5.31%)"
set grid
set key bottom right
set ylabel "share of the ceiling (%)"
set yrange [50:100]
set xlabel "pipeline evaluations per translation unit"
set logscale x 2
set xrange [0.9:100]
plot "coreset.dat" using 2:4 with linespoints pt 7 title "top k of the coreset (k = 1..16)", \
     "search.dat" using 2:4 with points pt 5 ps 1.2 title "top k + search", \
     "search.dat" using 2:4:1 with labels offset 0,1 notitle, \
     80 with lines dt 2 lc rgb "red" title "issue target 80%"
unset logscale x
set xlabel "median compile time / clang -Oz (wall, from source)"
set xrange [1:14]
set arrow 1 from 2,50 to 2,100 nohead dt 3 lc rgb "gray40"
set label 1 "2x (issue's bound)" at 2.1,53
plot "coreset.dat" using 3:4 with linespoints pt 7 title "top k of the coreset", \
     "search.dat" using 3:4 with points pt 5 ps 1.2 title "top k + search", \
     "search.dat" using 3:4:1 with labels offset 0,1 notitle, \
     80 with lines dt 2 lc rgb "red" title "80%"
unset multiplot
