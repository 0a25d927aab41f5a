"""TAL-6: reads for skills competitions, their results and the fast track."""
