"""Renders one frame of an XDMF file from `csd export --xdmf` with ParaView's own XDMF
reader, headless, and prints what the reader saw (times, grid, phi range of that frame).
ParaView is not a csd dependency; run it where ParaView is installed, with an X display
(Debian's ParaView renders through X only; headless, start an Xvfb of 24-bit depth first):

    Xvfb :77 -screen 0 1024x768x24 &
    DISPLAY=:77 pvpython scripts/paraview_snapshot.py demo.seq0.xdmf 10 phi.png

The reader is ParaView's "XDMF Reader" (XDMF 2): ParaView 5.11's Xdmf3 readers, which it
picks first for .xdmf files, do not read the HyperSlab data items (src/io/xdmf.cpp)."""
import sys

from paraview import servermanager
from paraview.simple import (ColorBy, GetActiveViewOrCreate, GetColorTransferFunction,
                             GetScalarBar, ResetCamera, SaveScreenshot, Show, XDMFReader)
from vtk.numpy_interface import dataset_adapter

xdmf, frame, png = sys.argv[1], int(sys.argv[2]), sys.argv[3]
reader = XDMFReader(FileNames=[xdmf])
reader.PointArrayStatus = ["phi"]
reader.UpdatePipelineInformation()
times = list(reader.TimestepValues)
time = times[frame]
reader.UpdatePipeline(time)
grid = servermanager.Fetch(reader)
phi = dataset_adapter.WrapDataObject(grid).PointData["phi"]
print(f"{xdmf}: {len(times)} times {times[0]:g} … {times[-1]:g}; frame {frame} at t = {time:g}: "
      f"{grid.GetClassName()} {grid.GetDimensions()} spacing {grid.GetSpacing()}, "
      f"phi in [{float(phi.min()):.6f}, {float(phi.max()):.6f}]")

view = GetActiveViewOrCreate("RenderView")
view.ViewTime = time
view.OrientationAxesVisibility = 0
display = Show(reader, view)
display.SetRepresentationType("Surface")
ColorBy(display, ("POINTS", "phi"))
colors = GetColorTransferFunction("phi")
colors.ApplyPreset("Viridis (matplotlib)", True)
colors.RescaleTransferFunction(float(phi.min()), float(phi.max()))
display.SetScalarBarVisibility(view, True)
bar = GetScalarBar(colors, view)
bar.WindowLocation = "Any Location"
bar.Position = [0.74, 0.1]
bar.ScalarBarLength = 0.8
bar.RangeLabelFormat = "%.2f"
view.InteractionMode = "2D"
view.CameraParallelProjection = 1
ResetCamera(view)
view.CameraParallelScale = 0.53 * grid.GetSpacing()[0] * grid.GetDimensions()[0]
view.CameraFocalPoint = [p + 0.16 * grid.GetSpacing()[0] * grid.GetDimensions()[0] * (i == 0)
                         for i, p in enumerate(view.CameraFocalPoint)]
view.CameraPosition = [view.CameraFocalPoint[0], view.CameraFocalPoint[1], view.CameraPosition[2]]
SaveScreenshot(png, view, ImageResolution=[480, 360])
print(f"wrote {png}")
