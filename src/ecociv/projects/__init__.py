"""Key projects through their life (项目库): lifecycle, 调度, lagging warnings, change control."""
