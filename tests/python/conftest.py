"""pytest set-up shared by the Python API tests."""
import os

# Under the sanitizers, CTest preloads the shared ASan runtime so that this
# uninstrumented interpreter can load the instrumented module. The ipsecsim
# binary the tests start carries its own (static) runtime and refuses a
# second one, so the preload ends with this process.
os.environ.pop("LD_PRELOAD", None)
